import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { convGeometry } from '../../src/kernels/conv-geometry.js';
import { phaseAxis, subPixelApplies } from '../../src/kernels/wasm/sub-pixel-input-gradient.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError } from '../../src/testing/numeric-gradient.js';
import { type ConvCase, convGradientsFloat64, randomConvOperands } from './reference.js';

/** Strided convolutions whose strides divide the input: 'same' (ResNet's stage transitions), 'valid', explicit pads, uneven strides, filters smaller than the stride. */
const CASES: ConvCase[] = [
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: [2, 2], dilations: [1, 1], pad: 'same', depthwise: false },
  { x: [3, 8, 6, 2], filter: [1, 1, 2, 5], strides: [2, 2], dilations: [1, 1], pad: 'valid', depthwise: false },
  { x: [1, 9, 12, 2], filter: [5, 4, 2, 3], strides: [3, 3], dilations: [1, 1], pad: 'same', depthwise: false },
  { x: [2, 8, 9, 3], filter: [2, 3, 3, 2], strides: [2, 1], dilations: [1, 1], pad: 'valid', depthwise: false },
  {
    x: [1, 10, 8, 2],
    filter: [3, 2, 2, 3],
    strides: [2, 2],
    dilations: [1, 1],
    pad: [
      [0, 0],
      [3, 1],
      [0, 2],
      [0, 0],
    ],
    depthwise: false,
  },
  { x: [1, 6, 6, 1], filter: [2, 2, 1, 1], strides: [3, 3], dilations: [1, 1], pad: 'valid', depthwise: false },
];

const geometry = (c: ConvCase) => convGeometry(c.x, c.filter, { strides: c.strides, dilations: c.dilations, pad: c.pad }, false);

describe('the sub-pixel split of a strided input gradient', () => {
  test('covers every case above, and not a dilated, unstrided or indivisible one', () => {
    for (const c of CASES) expect(subPixelApplies(geometry(c)), JSON.stringify(c)).toBe(true);
    const base = CASES[0] as ConvCase;
    expect(subPixelApplies(geometry({ ...base, strides: [1, 1] }))).toBe(false);
    expect(subPixelApplies(geometry({ ...base, x: [2, 9, 8, 3] }))).toBe(false);
    expect(subPixelApplies(geometry({ ...base, strides: [1, 1], dilations: [2, 2] }))).toBe(false);
  });

  test('gives each phase the taps that reach it: 3 taps, stride 2, padded 0 before, 16 outputs of 32 inputs', () => {
    // Even rows 2m meet taps 0 and 2 (outputs m and m-1); odd rows 2m+1 meet tap 1 (output m).
    expect(phaseAxis(0, 2, 0, 3, 16, 32)).toEqual({ tap: 0, taps: 2, before: 1, after: 0 });
    expect(phaseAxis(1, 2, 0, 3, 16, 32)).toEqual({ tap: 1, taps: 1, before: 0, after: 0 });
    // A 1-tap filter at stride 2 never reaches odd rows.
    expect(phaseAxis(1, 2, 0, 1, 4, 8).taps).toBe(0);
  });
});

describe.runIf((await testBackends()).includes('wasm'))('strided input gradients on wasm, phase by phase', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test.each(CASES)('match float64 loops: %j', (c) => {
    const { x, w, dy, dyShape } = randomConvOperands(c, 17);
    const expected = convGradientsFloat64(c, x, w, dy);
    const dx = tf.tidy(() =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy: tf.tensor4d(Float32Array.from(dy), dyShape), filter: tf.tensor4d(Float32Array.from(w), c.filter) },
          { strides: c.strides, dilations: c.dilations, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
        ),
    ) as tf.Tensor;
    expect(dx.shape).toEqual(c.x);
    expect(maxRelativeError(dx.dataSync(), expected.dx)).toBeLessThan(1e-5);
    dx.dispose();
  });

  test('leaves no tensor or heap buffer behind', () => {
    const c = CASES[0] as ConvCase;
    const dy = tf.ones([2, 4, 4, 4]);
    const w = tf.ones(c.filter);
    const run = () =>
      (
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropInput',
            { dy, filter: w },
            { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: c.x },
          ) as tf.Tensor
      ).dispose();
    run();
    const [buffers, tensors] = [tf.engine().backend.numDataIds(), tf.memory().numTensors];
    run();
    expect([tf.engine().backend.numDataIds(), tf.memory().numTensors]).toEqual([buffers, tensors]);
    tf.dispose([dy, w]);
  });
});
