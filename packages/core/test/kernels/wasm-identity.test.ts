import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle has no gradients; tfjs-layers' bundle registers them all, as in user code.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { testBackends } from '../../src/testing/backends.js';

describe.runIf((await testBackends()).includes('wasm'))('Identity on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test('a clone shares the heap data, outlives its original, and frees it with the last reference', () => {
    const before = tf.engine().backend.numDataIds();
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const copy = tf.clone(x);
    // One heap buffer for both: the stock kernel made a second.
    expect(tf.engine().backend.numDataIds()).toBe(before + 1);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    expect(copy.shape).toEqual([2, 2]);
    copy.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  test('the gradient tape saves tensors without copying them, and its gradients stay right', () => {
    const backend = tf.engine().backend;
    const x = tf.tensor([-1, 2, -3, 4]);
    let added = Number.NaN;
    const dx = tf.grad((v: tf.Tensor) => {
      const before = backend.numDataIds();
      const y = tf.relu(v);
      // ReLU's output, and nothing for the input the tape saves for ReLU's gradient.
      added = backend.numDataIds() - before;
      return tf.sum(tf.mul(y, v));
    })(x);
    expect(added).toBe(1);
    expect(Array.from(dx.dataSync())).toEqual([0, 4, 0, 8]);
    tf.dispose([x, dx]);
  });
});
