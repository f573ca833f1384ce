import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers the gradients of tfjs-core's ops (tf.grad needs them).
import '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxAbsDiff } from '../../src/testing/numeric-gradient.js';

/** Input shape, window, strides, padding of max pools whose gradient is compared across backends. */
const CASES: [[number, number, number, number], number, number, 'valid' | 'same'][] = [
  [[2, 4, 4, 3], 2, 2, 'valid'],
  [[2, 5, 6, 4], 3, 1, 'same'],
  [[1, 7, 7, 2], 3, 2, 'same'],
  [[3, 6, 5, 1], 2, 1, 'valid'],
];

/** The gradient of `sum(maxPool(x) * r)` with respect to x on the active backend. */
function maxPoolGradient(x: number[], shape: number[], r: number[], window: number, stride: number, pad: 'valid' | 'same'): Float32Array {
  return tf.tidy(() => {
    const input = tf.tensor4d(x, shape as [number, number, number, number]);
    const loss = (t: tf.Tensor) => {
      const y = tf.maxPool(t as tf.Tensor4D, window, stride, pad);
      return tf.sum(tf.mul(y, tf.tensor(r.slice(0, y.size), y.shape)));
    };
    return tf.grad(loss)(input).dataSync() as Float32Array;
  });
}

describe.runIf((await testBackends()).includes('wasm'))('MaxPoolGrad on wasm', () => {
  test.each(CASES)(
    'for %j, window %d, stride %d, %s padding, equals the cpu kernel, all-negative windows included',
    async (shape, window, stride, pad) => {
      const size = shape.reduce((a, b) => a * b, 1);
      // Every value negative: the stock wasm kernel returned zeros for such windows.
      const x = Array.from({ length: size }, (_, i) => -1 - ((i * 7919) % 101) / 13);
      const r = Array.from({ length: size }, (_, i) => Math.cos(i));
      await initBackend('cpu');
      const reference = maxPoolGradient(x, shape, r, window, stride, pad);
      await initBackend('wasm');
      const actual = maxPoolGradient(x, shape, r, window, stride, pad);
      expect(maxAbsDiff(actual, reference)).toBeLessThan(1e-6);
      expect(reference.some((v) => v !== 0)).toBe(true);
    },
  );
});
