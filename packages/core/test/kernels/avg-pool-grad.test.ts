import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers the gradients of tfjs-core's ops (tf.grad needs them).
import '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxAbsDiff } from '../../src/testing/numeric-gradient.js';

/** Input shape, window, strides, padding: 1x1 subsampling, LeNet's 2x2 pools, overlapping and padded windows. */
const CASES: [[number, number, number, number], number, number, 'valid' | 'same'][] = [
  [[2, 8, 8, 3], 1, 2, 'valid'],
  [[2, 7, 5, 40], 1, 2, 'same'],
  [[1, 6, 6, 2], 1, 3, 'valid'],
  [[2, 5, 6, 4], 1, 1, 'valid'],
  [[2, 6, 6, 3], 2, 2, 'valid'],
  [[1, 7, 7, 2], 3, 2, 'same'],
  [[2, 6, 5, 3], 3, 1, 'same'],
];

/** The gradient of `sum(avgPool(x) * r)` with respect to x on the active backend. */
function avgPoolGradient(shape: [number, number, number, number], window: number, stride: number, pad: 'valid' | 'same'): number[] {
  return tf.tidy(() => {
    const size = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor4d(
      Float32Array.from({ length: size }, (_, i) => Math.sin(i)),
      shape,
    );
    const loss = (t: tf.Tensor) => {
      const y = tf.avgPool(t as tf.Tensor4D, window, stride, pad);
      return tf.sum(
        tf.mul(
          y,
          tf.tensor(
            Float32Array.from({ length: y.size }, (_, i) => 1 + Math.cos(i)),
            y.shape,
          ),
        ),
      );
    };
    return Array.from(tf.grad(loss)(x).dataSync());
  });
}

describe.runIf((await testBackends()).includes('wasm') && (await testBackends()).includes('cpu'))('AvgPoolGrad on wasm', () => {
  test.each(CASES)('for %j, window %d, stride %d, %s padding, equals the cpu kernel', async (shape, window, stride, pad) => {
    await initBackend('cpu');
    const reference = avgPoolGradient(shape, window, stride, pad);
    await initBackend('wasm');
    const actual = avgPoolGradient(shape, window, stride, pad);
    expect(maxAbsDiff(actual, reference)).toBeLessThan(1e-6);
  });
});
