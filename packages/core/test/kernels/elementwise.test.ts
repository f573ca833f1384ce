import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { testBackends } from '../../src/testing/backends.js';

describe.runIf((await testBackends()).includes('wasm'))('elementwise kernels on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test('tanh is within 2e-7 of float64 Math.tanh from -20 to 20, and exactly ±1 and 0 where it should be', () => {
    const values = Float32Array.from({ length: 4001 }, (_, i) => -20 + i / 100);
    const x = tf.tensor1d(values);
    const y = tf.tanh(x);
    const got = y.dataSync();
    let worst = 0;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - Math.tanh(values[i] as number)));
    expect(worst).toBeLessThan(2e-7);
    const edges = tf.tanh(tf.tensor1d([0, 50, -50]));
    expect(Array.from(edges.dataSync())).toEqual([0, 1, -1]);
    tf.dispose([x, y, edges]);
  });

  test('square equals x·x rounded to float32, for float32 and int32', () => {
    const values = [-3.5, -1, 0, 0.1, 2, 1e10, 7.25];
    const f = tf.square(tf.tensor1d(values));
    expect(Array.from(f.dataSync())).toEqual(values.map((v) => Math.fround(Math.fround(v) * Math.fround(v))));
    const i = tf.square(tf.tensor1d([-3, 0, 4, 46340], 'int32'));
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([9, 0, 16, 46340 * 46340]);
    tf.dispose([f, i]);
  });
});
