import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle has no gradients; tfjs-layers' bundle registers them all, as in user code.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { isHalvingPool } from '../../src/kernels/tensorflow/halving-avg-pool.js';
import { createRng } from '../../src/rng.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError } from '../../src/testing/numeric-gradient.js';

interface PoolCase {
  shape: [number, number, number, number];
  size: number;
  stride: number;
  pad: 'valid' | 'same';
}

/** Average pool and its gradient by direct loops in float64, tfjs's padding rules (padded cells not counted). */
function avgPoolFloat64(c: PoolCase, x: Float64Array, dy: Float64Array): { y: Float64Array; dx: Float64Array } {
  const info = tf.backend_util.computePool2DInfo(c.shape, c.size, c.stride, 1, c.pad);
  const [n, h, w, ch] = c.shape;
  const { outHeight: oh, outWidth: ow } = info;
  const y = new Float64Array(n * oh * ow * ch);
  const dx = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let k = 0; k < ch; k++) {
          const cells: number[] = [];
          for (let p = 0; p < c.size; p++) {
            for (let q = 0; q < c.size; q++) {
              const r = i * c.stride - info.padInfo.top + p;
              const s = j * c.stride - info.padInfo.left + q;
              if (r >= 0 && r < h && s >= 0 && s < w) cells.push(((b * h + r) * w + s) * ch + k);
            }
          }
          const o = ((b * oh + i) * ow + j) * ch + k;
          y[o] = cells.reduce((sum, at) => sum + (x[at] as number), 0) / cells.length;
          for (const at of cells) dx[at] = (dx[at] as number) + (dy[o] as number) / cells.length;
        }
      }
    }
  }
  return { y, dx };
}

// The 2x2 stride-2 pools that tile their input (convkit's fast path on tensorflow), then pools that
// take tfjs-node's own kernel: odd sides, overlapping windows, stride 1, 3x3 windows. None pads:
// tfjs's cpu and wasm gradients count padded cells that their forward pass leaves out.
const CASES: PoolCase[] = [
  { shape: [2, 8, 6, 3], size: 2, stride: 2, pad: 'valid' },
  { shape: [3, 10, 10, 16], size: 2, stride: 2, pad: 'valid' },
  { shape: [1, 4, 12, 5], size: 2, stride: 2, pad: 'same' },
  { shape: [2, 7, 6, 3], size: 2, stride: 2, pad: 'valid' },
  { shape: [2, 7, 7, 2], size: 2, stride: 2, pad: 'valid' },
  { shape: [1, 6, 6, 4], size: 2, stride: 1, pad: 'valid' },
  { shape: [2, 9, 8, 3], size: 3, stride: 2, pad: 'valid' },
];

const label = (c: PoolCase) => `${c.size}x${c.size} stride ${c.stride} ${c.pad} over ${c.shape.join('x')}`;

describe.each(await testBackends())('average pool on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test.each(CASES.map((c) => [label(c), c] as const))('%s: output and gradient equal a float64 reference', (_, c) => {
    const rng = createRng(c.shape.reduce((a, b) => a * 7 + b, c.size));
    const info = tf.backend_util.computePool2DInfo(c.shape, c.size, c.stride, 1, c.pad);
    const xs = Float64Array.from({ length: c.shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
    const dys = Float64Array.from({ length: info.outShape.reduce((a, b) => a * b, 1) }, () => rng.normal());
    const [y, dx] = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(xs), c.shape);
      const dy = tf.tensor(Float32Array.from(dys), info.outShape);
      const pool = (v: tf.Tensor) => tf.avgPool(v as tf.Tensor4D, c.size, c.stride, c.pad);
      return [pool(x).dataSync(), tf.grad(pool)(x, dy).dataSync()];
    }) as unknown as [Float32Array, Float32Array];
    const reference = avgPoolFloat64(c, xs, dys);
    expect(maxRelativeError(y, reference.y)).toBeLessThan(1e-5);
    expect(maxRelativeError(dx, reference.dx)).toBeLessThan(1e-5);
  });
});

test('the fast path takes exactly the 2x2 stride-2 pools that tile their input', () => {
  type Pair = number | [number, number];
  const attrs = (filterSize: Pair, strides: Pair, pad: 'valid' | 'same' | number) => ({ filterSize, strides, pad });
  expect(isHalvingPool([2, 8, 6, 3], attrs(2, 2, 'valid'))).toBe(true);
  expect(isHalvingPool([2, 8, 6, 3], attrs(2, 2, 'same'))).toBe(true);
  expect(isHalvingPool([2, 7, 6, 3], attrs(2, 2, 'valid'))).toBe(false);
  expect(isHalvingPool([2, 8, 7, 3], attrs(2, 2, 'same'))).toBe(false);
  expect(isHalvingPool([2, 8, 8, 3], attrs(2, 1, 'valid'))).toBe(false);
  expect(isHalvingPool([2, 8, 8, 3], attrs(3, 2, 'valid'))).toBe(false);
  expect(isHalvingPool([2, 8, 8, 3], attrs(2, 2, 1))).toBe(false);
  expect(isHalvingPool([2, 8, 8, 3], attrs([2, 3], 2, 'valid'))).toBe(false);
  expect(isHalvingPool([2, 8, 8, 3], attrs(2, [2, 1], 'valid'))).toBe(false);
});
