import { initBackend, registerFusedKernels, unregisterFusedKernels } from '@convkit/core';
import { maxRelativeError, testBackends } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registry } from './support/registry.js';

const STEPS = 20;
// ResNet-20's depth and every kind of layer at half width and 16x16 inputs, so 40 steps stay seconds on wasm.
const OPTIONS = { inputShape: [16, 16, 3], widthMultiplier: 0.5 };

/**
 * Losses of 20 momentum-SGD steps of a ResNet-20 from given weights on a fixed batch (batch statistics
 * in every step). A moderate rate keeps the run from amplifying float32 rounding differences between
 * the two paths (at 0.05 they grow to 1e-3 in 20 steps); the loss still falls by more than half.
 */
function losses(weights: tf.Tensor[]): number[] {
  const model = registry.create('resnet20', OPTIONS);
  model.setWeights(weights);
  const images = tf.randomNormal([8, 16, 16, 3], 0, 1, 'float32', 3);
  const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const out: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(images, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
    ) as tf.Scalar;
    out.push(loss.dataSync()[0] as number);
    loss.dispose();
  }
  tf.dispose([images, labels]);
  optimizer.dispose();
  model.dispose();
  return out;
}

// The pure-JS cpu backend needs minutes for 40 ResNet steps; its kernels share their loops with wasm.
describe.each((await testBackends()).filter((b) => b !== 'cpu'))('fused training kernels on %s', (backend) => {
  afterAll(() => {
    registerFusedKernels(tf.getBackend());
  });

  it(`a ResNet-20 trained ${STEPS} steps with the fused kernels tracks the unfused run's losses within 1e-4 relative`, async () => {
    await initBackend(backend);
    const weights = registry.create('resnet20', OPTIONS).getWeights();
    const fused = losses(weights);
    unregisterFusedKernels(tf.getBackend());
    const unfused = losses(weights);
    registerFusedKernels(tf.getBackend());
    expect(fused[STEPS - 1] as number).toBeLessThan(0.5 * (fused[0] as number));
    expect(maxRelativeError(fused, unfused)).toBeLessThan(1e-4);
    tf.dispose(weights);
  }, 180_000);
});
