import { summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, model } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { AvgPool2d, MaxPool2d } from '../src/index.js';
import { onEachBackend } from './support/backends.js';
import { checkLayerContract } from './support/contract.js';
import { loadFixture, maxAbsDiff, type StoredTensor } from './support/fixtures.js';
import './support/setup.js';

interface PoolCase {
  kernelSize: number;
  strides: number;
  padding: number;
  ceilMode: boolean;
  countIncludePad: boolean;
  input: StoredTensor;
  max: StoredTensor;
  avg: StoredTensor;
}

checkLayerContract('MaxPool2d 3x3 stride 2, padding 1 (ResNet stem)', {
  make: () => new MaxPool2d({ kernelSize: 3, strides: 2, padding: 1 }),
  shapes: [
    [
      [112, 112, 2],
      [56, 56, 2],
    ],
    [
      [7, 7, 2],
      [4, 4, 2],
    ],
    [
      [8, 5, 2],
      [4, 3, 2],
    ],
  ],
  gradientInput: [1, 5, 5, 2],
  // a max has a kink where two inputs of a window tie: a smaller step stays clear of near-ties
  gradientStep: 1e-4,
});

checkLayerContract('MaxPool2d 3x3 stride 2 in ceil mode (GoogLeNet)', {
  make: () => new MaxPool2d({ kernelSize: 3, strides: 2, ceilMode: true }),
  shapes: [
    [
      [112, 112, 1],
      [56, 56, 1],
    ],
    [
      [8, 8, 1],
      [4, 4, 1],
    ],
    [
      [7, 6, 1],
      [3, 3, 1],
    ],
  ],
  gradientInput: [1, 6, 6, 1],
  // a max has a kink where two inputs of a window tie: a smaller step stays clear of near-ties
  gradientStep: 1e-4,
});

checkLayerContract('AvgPool2d 3x3 stride 2, padding 1, padding not counted', {
  make: () => new AvgPool2d({ kernelSize: 3, strides: 2, padding: 1, countIncludePad: false }),
  shapes: [
    [
      [7, 7, 2],
      [4, 4, 2],
    ],
    [
      [8, 6, 2],
      [4, 3, 2],
    ],
  ],
  gradientInput: [1, 5, 4, 2],
});

checkLayerContract('AvgPool2d 2x2 (LeNet subsampling)', {
  make: () => new AvgPool2d({ kernelSize: 2 }),
  shapes: [
    [
      [28, 28, 6],
      [14, 14, 6],
    ],
    [
      [5, 9, 6],
      [2, 4, 6],
    ],
  ],
  gradientInput: [1, 4, 4, 1],
});

const fixtures = loadFixture<PoolCase>('pool.json');

onEachBackend(() => {
  describe('pooling equals PyTorch', () => {
    test.each(fixtures.map((c) => [JSON.stringify({ k: c.kernelSize, s: c.strides, p: c.padding, ceil: c.ceilMode }), c] as const))(
      'F.max_pool2d with %s',
      (_, c) => {
        const layer = new MaxPool2d({ kernelSize: c.kernelSize, strides: c.strides, padding: c.padding, ceilMode: c.ceilMode });
        const y = tf.tidy(() => layer.apply(tf.tensor(c.input.values, c.input.shape)) as tf.Tensor);
        expect(y.shape).toEqual(c.max.shape);
        expect(maxAbsDiff(y.dataSync(), c.max.values)).toBeLessThan(1e-5);
      },
    );

    test.each(
      fixtures.map(
        (c) =>
          [
            JSON.stringify({ k: c.kernelSize, s: c.strides, p: c.padding, ceil: c.ceilMode, countIncludePad: c.countIncludePad }),
            c,
          ] as const,
      ),
    )('F.avg_pool2d with %s', (_, c) => {
      const layer = new AvgPool2d({
        kernelSize: c.kernelSize,
        strides: c.strides,
        padding: c.padding,
        ceilMode: c.ceilMode,
        countIncludePad: c.countIncludePad,
      });
      const y = tf.tidy(() => layer.apply(tf.tensor(c.input.values, c.input.shape)) as tf.Tensor);
      expect(y.shape).toEqual(c.avg.shape);
      expect(maxAbsDiff(y.dataSync(), c.avg.values)).toBeLessThan(1e-5);
    });
  });
});

describe('pooling (backend-independent)', () => {
  test('counts one op per window element per output and reports its window', () => {
    const x = input({ shape: [8, 8, 3] });
    const row = summarizeModel(model({ inputs: x, outputs: new MaxPool2d({ kernelSize: 3, strides: 2, padding: 1 }).apply(x) as never }))
      .layers[1];
    expect(row?.macs).toBe(4 * 4 * 3 * 9);
    expect(row?.receptiveField.width).toEqual({ size: 3, jump: 2 });
  });

  test('rejects a window larger than the padded input and a non-positive stride, naming the layer', () => {
    expect(() => new MaxPool2d({ name: 'pool5', kernelSize: 3 }).computeOutputShape([null, 2, 2, 8])).toThrow(
      /MaxPool2d "pool5" \(input \?x2x2x8, NHWC\): height: kernel 3 .* is larger than the padded input 2/,
    );
    expect(() => new AvgPool2d({ name: 'pool1', kernelSize: 2, strides: 0 })).toThrow(
      /AvgPool2d "pool1": strides must be positive integers, got 0/,
    );
    expect(() => new AvgPool2d({ name: 'pool1', kernelSize: 2, padding: -1 })).toThrow(/AvgPool2d "pool1": padding must be/);
  });
});
