import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle has no gradients; tfjs-layers' bundle registers them all, as in user code.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { convGeometry } from '../../src/kernels/conv-geometry.js';
import { aliasFreeFilterGeometry } from '../../src/kernels/wasm/conv2d-backprop-filter.js';
import { BATCH_INNERMOST_WAYS } from '../../src/kernels/wasm/filter-gradient.js';
import { WasmKernelCalls } from '../../src/kernels/wasm/kernel-calls.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError } from '../../src/testing/numeric-gradient.js';
import { type ConvCase, convGradientsFloat64, randomConvOperands } from './reference.js';

function geometry(c: ConvCase) {
  return convGeometry(c.x, c.filter, { strides: c.strides, dilations: c.dilations, pad: c.pad }, false);
}

/** Filter gradients whose OH·OW·N is a multiple of 1024: 32x32 outputs at strides 1 and 2, 'same' and 'valid', dilated. */
const PADDED_CASES: ConvCase[] = [
  { x: [1, 32, 32, 2], filter: [3, 3, 2, 32], strides: [1, 1], dilations: [1, 1], pad: 'same', depthwise: false },
  { x: [2, 63, 64, 1], filter: [3, 3, 1, 32], strides: [2, 2], dilations: [1, 1], pad: 'same', depthwise: false },
  { x: [1, 34, 34, 1], filter: [3, 3, 1, 33], strides: [1, 1], dilations: [1, 1], pad: 'valid', depthwise: false },
  { x: [1, 36, 35, 1], filter: [3, 2, 1, 32], strides: [1, 1], dilations: [2, 3], pad: 'valid', depthwise: false },
];

describe('the zero row and column that break the wasm filter transpose aliasing', () => {
  test.each(PADDED_CASES)('are added where OH·OW·N is a multiple of 1024 and Cout >= 32: %j', (c) => {
    const g = geometry(c);
    expect(aliasFreeFilterGeometry(g)).toEqual({ ...g, outHeight: g.outHeight + 1, outWidth: g.outWidth + 1 });
  });

  test.each([
    ['fewer than 32 output channels', { ...(PADDED_CASES[0] as ConvCase), filter: [3, 3, 2, 31] }],
    ['8x8 outputs, where they would add 27% more taps', { ...(PADDED_CASES[0] as ConvCase), x: [16, 8, 8, 2] }],
    ['OH·OW·N not a multiple of 1024', { ...(PADDED_CASES[0] as ConvCase), x: [1, 31, 32, 2] }],
  ] as const)('are not added with %s', (_, c) => {
    const g = geometry(c as ConvCase);
    expect(aliasFreeFilterGeometry(g)).toBe(g);
  });
});

/** Filter gradients of 16 or more images and channels, where either way to batch-innermost may be chosen. */
const LARGER_CASES: ConvCase[] = [
  { x: [16, 5, 6, 16], filter: [3, 3, 16, 4], strides: [1, 1], dilations: [1, 1], pad: 'same', depthwise: false },
  { x: [17, 7, 4, 20], filter: [2, 3, 20, 3], strides: [2, 1], dilations: [1, 1], pad: 'valid', depthwise: false },
];

describe.runIf((await testBackends()).includes('wasm'))('the ways to move the batch innermost on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test.each([
    [16, 5, 6, 16],
    [3, 4, 2, 5],
    [17, 1, 3, 20],
  ])('each gives [C, H, W, N] of a %ix%ix%ix%i input', (n, h, w, c) => {
    const values = Float32Array.from({ length: n * h * w * c }, (_, i) => i);
    const expected = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const ci = i % c;
      const wi = Math.floor(i / c) % w;
      const hi = Math.floor(i / (c * w)) % h;
      const ni = Math.floor(i / (c * w * h));
      expected[((ci * h + hi) * w + wi) * n + ni] = i;
    }
    const x = tf.tensor4d(values, [n, h, w, c]);
    for (const way of BATCH_INNERMOST_WAYS) {
      const calls = new WasmKernelCalls(tf.backend());
      const out = way(calls, x);
      expect(out.shape, way.name).toEqual([c, h, w, n]);
      expect(tf.backend().readSync(out.dataId), way.name).toEqual(expected);
      calls.dispose();
    }
    x.dispose();
  });
});

describe.runIf((await testBackends()).includes('wasm'))('wasm filter gradients in their faster layouts', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test.each([...PADDED_CASES, ...LARGER_CASES])('match float64 loops: %j', (c) => {
    const { x, w, dy, dyShape } = randomConvOperands(c, 13);
    const expected = convGradientsFloat64(c, x, w, dy);
    const dw = tf.tidy(() =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x: tf.tensor4d(Float32Array.from(x), c.x), dy: tf.tensor4d(Float32Array.from(dy), dyShape) },
          { strides: c.strides, dilations: c.dilations, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter },
        ),
    ) as tf.Tensor;
    expect(dw.shape).toEqual(c.filter);
    expect(maxRelativeError(dw.dataSync(), expected.dw)).toBeLessThan(1e-5);
    dw.dispose();
  });
});
