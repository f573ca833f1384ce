import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers the gradients of tfjs-core's ops (tf.grads needs them).
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { batchNormTraining } from '../../src/kernels/fused/batch-norm-training.js';
import { createRng } from '../../src/rng.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError } from '../../src/testing/numeric-gradient.js';
import { batchNormFloat64, batchNormGradientFloat64 } from './fused-reference.js';

const EPSILON = 1e-5;

/** `Σ w·batchNorm(x)` and its gradients, on the current backend. */
function run(x: Float32Array, w: Float32Array, shape: number[], scale: Float32Array, offset: Float32Array) {
  const channels = shape.at(-1) as number;
  return tf.tidy(() => {
    const s = tf.tensor1d(scale);
    const o = tf.tensor1d(offset);
    const norm = (input: tf.Tensor, sc: tf.Tensor, of: tf.Tensor) =>
      batchNormTraining(input, {
        scale: sc as tf.Tensor1D,
        offset: of as tf.Tensor1D,
        movingMean: tf.zeros([channels]),
        movingVariance: tf.ones([channels]),
        epsilon: EPSILON,
        momentum: 0.1,
      }).y;
    const y = norm(tf.tensor(x, shape), s, o).dataSync();
    const grads = tf.grads((input: tf.Tensor, sc: tf.Tensor, of: tf.Tensor) => tf.sum(tf.mul(norm(input, sc, of), tf.tensor(w, shape))));
    const [dx, dScale, dOffset] = grads([tf.tensor(x, shape), s, o]).map((g) => g.dataSync()) as [Float32Array, Float32Array, Float32Array];
    return { y, dx, dScale, dOffset };
  });
}

describe.runIf((await testBackends()).includes('wasm'))('training batch norm on wasm (XNNPACK output pass)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test('leaves no tensor or heap buffer behind, forward and backward', () => {
    const shape = [2, 5, 5, 8];
    const x = Float32Array.from({ length: 400 }, (_, i) => Math.sin(i));
    run(x, x, shape, new Float32Array(8).fill(1), new Float32Array(8));
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    run(x, x, shape, new Float32Array(8).fill(1), new Float32Array(8));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });

  // The output pass runs in float32 with its per-channel factors rounded to float32: with a mean far
  // from zero, k·x and q nearly cancel and the output is off by a few float32 units of the mean (here
  // 1.7e-6 of the output's range, dScale 1.2e-6, dx 7e-8). The float32 input resolves no better.
  test('a channel whose mean is 100 times its spread: output and gradients within 1e-5 of float64', () => {
    const shape = [4, 6, 6, 3];
    const rng = createRng(3);
    const x64 = Float64Array.from({ length: 432 }, (_, i) =>
      Math.fround(rng.normal([100, -0.5, 3][i % 3] as number, [1, 0.01, 2][i % 3] as number)),
    );
    const w64 = Float64Array.from({ length: 432 }, () => Math.fround(rng.normal()));
    const scale = Float64Array.from([1.5, 0.7, 1]);
    const offset = Float64Array.from([0.2, -1, 0.5]);
    const got = run(Float32Array.from(x64), Float32Array.from(w64), shape, Float32Array.from(scale), Float32Array.from(offset));
    const expected = batchNormGradientFloat64(x64, scale, w64, 3, EPSILON);
    expect(maxRelativeError(got.y, batchNormFloat64(x64, scale, offset, 3, EPSILON).y)).toBeLessThan(1e-5);
    expect(maxRelativeError(got.dx, expected.dx), 'x').toBeLessThan(1e-5);
    expect(maxRelativeError(got.dScale, expected.dScale), 'scale').toBeLessThan(1e-5);
    expect(maxRelativeError(got.dOffset, expected.dOffset), 'offset').toBeLessThan(1e-5);
  });
});
