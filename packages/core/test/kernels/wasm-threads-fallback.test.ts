import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { setWasmThreads, WASM_THREADS_ENV, wasmThreadsStatus } from '../../src/kernels/wasm/wasm-threads.js';
import { testBackends } from '../../src/testing/backends.js';

type Instantiate = (...args: unknown[]) => Promise<unknown>;
// The project compiles without DOM typings, which is where TypeScript declares WebAssembly.
const runtime = (globalThis as unknown as { WebAssembly: { instantiate: Instantiate } }).WebAssembly;

describe.runIf((await testBackends()).includes('wasm'))('threaded wasm that cannot start', () => {
  const original = runtime.instantiate;
  afterAll(() => {
    runtime.instantiate = original;
  });

  test('falls back to the single-threaded build, says why, and still computes', async () => {
    process.env[WASM_THREADS_ENV] = '2';
    let failNext = true;
    // Only the threaded build's instantiation (the first one) fails.
    runtime.instantiate = (...args) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('simulated instantiation failure'));
      }
      return original.apply(runtime, args);
    };
    const report = await initBackend('wasm');
    expect(wasmThreadsStatus()).toEqual({
      requested: 2,
      active: 1,
      reason: 'threaded wasm failed to start: simulated instantiation failure',
    });
    expect(report.device).toContain('1 thread');
    const y = tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, 1, 'valid');
    expect(Array.from(y.dataSync())).toEqual(new Array(9).fill(4));
  });

  test('a later single-threaded start does not repeat the earlier failure as its reason', async () => {
    tf.removeBackend('wasm');
    setWasmThreads(1);
    await initBackend('wasm');
    expect(wasmThreadsStatus()).toEqual({ requested: 1, active: 1 });
  });
});
