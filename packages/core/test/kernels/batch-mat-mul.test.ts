import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { createRng } from '../../src/rng.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError } from '../../src/testing/numeric-gradient.js';

/** `op(a) · op(b)` per batch in float64, with `op` transposing the last two axes when asked. */
function matMulFloat64(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], ta: boolean, tb: boolean): Float64Array {
  const [batch, ar, ac] = aShape as [number, number, number];
  const [, br, bc] = bShape as [number, number, number];
  const [m, k] = ta ? [ac, ar] : [ar, ac];
  const n = tb ? br : bc;
  const out = new Float64Array(batch * m * n);
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) {
          const av = a[p * ar * ac + (ta ? q * ac + i : i * ac + q)] as number;
          const bv = b[p * br * bc + (tb ? j * bc + q : q * bc + j)] as number;
          sum += av * bv;
        }
        out[(p * m + i) * n + j] = sum;
      }
    }
  }
  return out;
}

describe.runIf((await testBackends()).includes('wasm'))('BatchMatMul on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const batch of [1, 3]) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      test(`batch ${batch}, transposeA ${ta}, transposeB ${tb} matches float64 products`, () => {
        const rng = createRng(batch * 4 + Number(ta) * 2 + Number(tb));
        const [m, k, n] = [5, 7, 3];
        const aShape = [batch, ta ? k : m, ta ? m : k];
        const bShape = [batch, tb ? n : k, tb ? k : n];
        const av = Float32Array.from({ length: batch * m * k }, () => rng.normal());
        const bv = Float32Array.from({ length: batch * k * n }, () => rng.normal());
        const a = tf.tensor(av, aShape);
        const b = tf.tensor(bv, bShape);
        const y = tf.matMul(a, b, ta, tb);
        expect(y.shape).toEqual([batch, m, n]);
        expect(maxRelativeError(y.dataSync(), matMulFloat64(av, aShape, bv, bShape, ta, tb))).toBeLessThan(1e-6);
        if (batch === 1) {
          const y2 = tf.matMul(tf.reshape(a, aShape.slice(1)), tf.reshape(b, bShape.slice(1)), ta, tb);
          expect(y2.shape).toEqual([m, n]);
          expect(Array.from(y2.dataSync())).toEqual(Array.from(y.dataSync()));
          y2.dispose();
        }
        tf.dispose([a, b, y]);
      });
    }
  }
});
