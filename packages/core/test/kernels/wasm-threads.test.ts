import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { isConvkitError } from '../../src/errors.js';
import { setWasmThreads, WASM_THREADS_ENV, wasmThreadsStatus } from '../../src/kernels/wasm/wasm-threads.js';
import { testBackends } from '../../src/testing/backends.js';

describe.runIf((await testBackends()).includes('wasm'))('multi-threaded wasm in Node', () => {
  test('setWasmThreads rejects a thread count that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => setWasmThreads(bad)).toThrow(expect.objectContaining({ code: 'invalid-wasm-threads' }));
    }
    try {
      setWasmThreads(0);
    } catch (error) {
      expect(isConvkitError(error)).toBe(true);
    }
  });

  test(`initBackend('wasm') runs XNNPACK on the ${WASM_THREADS_ENV} thread count and computes correctly`, async () => {
    process.env[WASM_THREADS_ENV] = '2';
    const report = await initBackend('wasm');
    expect(wasmThreadsStatus()).toEqual({ requested: 2, active: 2 });
    expect(report.device).toContain('2 threads');
    const x = tf.ones([1, 8, 8, 4]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 4, 2]) as tf.Tensor4D;
    const y = tf.conv2d(x, w, 1, 'valid');
    expect(Array.from(y.dataSync())).toEqual(new Array(6 * 6 * 2).fill(36));
    tf.dispose([x, w, y]);
  });

  test('a wasm backend removed with tf.removeBackend restarts on the thread count set since', async () => {
    tf.removeBackend('wasm');
    setWasmThreads(1);
    const report = await initBackend('wasm');
    expect(wasmThreadsStatus()).toMatchObject({ requested: 1, active: 1 });
    expect(report.device).toContain('1 thread');
    const y = tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, 1, 'valid');
    expect(Array.from(y.dataSync())).toEqual(new Array(9).fill(4));
  });
});
