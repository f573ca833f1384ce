import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle has no gradients; tfjs-layers' bundle registers them all, as in user code.
import '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError } from '../../src/testing/numeric-gradient.js';
import { cnnBatch, cnnLoss, cnnParameterValues, cnnVariables } from './small-cnn.js';

const available = await testBackends();

async function gradientsOn(backend: 'cpu' | 'wasm'): Promise<Record<string, Float32Array>> {
  await initBackend(backend);
  const { images, labels } = cnnBatch(5, 4);
  const x = tf.tensor4d(images, [4, 32, 32, 3]);
  const y = tf.tensor2d(labels, [4, 10]);
  const vars = cnnVariables(cnnParameterValues(1));
  const { grads } = tf.variableGrads(() => cnnLoss(vars, x, y));
  const out: Record<string, Float32Array> = {};
  for (const [name, g] of Object.entries(grads)) out[name] = g.dataSync() as Float32Array;
  tf.dispose([x, y, ...Object.values(grads), ...Object.values(vars)]);
  return out;
}

describe.runIf(available.includes('wasm') && available.includes('cpu'))('training a CNN on wasm', () => {
  test("the 5-layer CNN's gradients on wasm equal the cpu backend's within 1e-4 relative error", async () => {
    const cpu = await gradientsOn('cpu');
    const wasm = await gradientsOn('wasm');
    for (const name of Object.keys(cpu)) {
      expect(maxRelativeError(wasm[name] as Float32Array, cpu[name] as Float32Array), name).toBeLessThan(1e-4);
    }
  });

  test('the 5-layer CNN trains on wasm: loss falls over 20 SGD steps on a fixed batch of 64 32x32 images', async () => {
    await initBackend('wasm');
    const { images, labels } = cnnBatch(9, 64);
    const x = tf.tensor4d(images, [64, 32, 32, 3]);
    const y = tf.tensor2d(labels, [64, 10]);
    const vars = cnnVariables(cnnParameterValues(2));
    const optimizer = tf.train.sgd(0.05);
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) {
      const loss = optimizer.minimize(() => cnnLoss(vars, x, y), true) as tf.Scalar;
      losses.push(loss.dataSync()[0] as number);
      loss.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19] as number).toBeLessThan(0.8 * (losses[0] as number));
    tf.dispose([x, y, ...Object.values(vars)]);
    optimizer.dispose();
  });
});
