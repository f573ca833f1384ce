import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { ConvTranspose2d } from '../src/index.js';
import { onEachBackend } from './support/backends.js';
import { checkLayerContract } from './support/contract.js';
import { loadFixture, maxAbsDiff, type StoredTensor } from './support/fixtures.js';
import './support/setup.js';

interface TransposeCase {
  filters: number;
  kernelSize: number;
  strides: number;
  padding: number;
  outputPadding: number;
  input: StoredTensor;
  kernel: StoredTensor;
  bias: number[];
  output: StoredTensor;
}

checkLayerContract('ConvTranspose2d 3x3 stride 2, padding 1, output padding 1 (exact 2x upsampling)', {
  make: () => new ConvTranspose2d({ filters: 3, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 }),
  shapes: [
    [
      [4, 4, 2],
      [8, 8, 3],
    ],
    [
      [7, 5, 2],
      [14, 10, 3],
    ],
    [
      [1, 1, 2],
      [2, 2, 3],
    ],
  ],
  gradientInput: [1, 3, 3, 2],
});

checkLayerContract('ConvTranspose2d 4x4 stride 2 with asymmetric cropping', {
  make: () =>
    new ConvTranspose2d({
      filters: 2,
      kernelSize: 4,
      strides: 2,
      padding: [
        [1, 2],
        [0, 1],
      ],
    }),
  shapes: [
    [
      [3, 3, 1],
      [5, 7, 2],
    ],
    [
      [6, 2, 1],
      [11, 5, 2],
    ],
  ],
  gradientInput: [1, 3, 2, 2],
});

const fixtures = loadFixture<TransposeCase>('conv-transpose.json');

onEachBackend(() => {
  describe('ConvTranspose2d equals PyTorch', () => {
    test.each(fixtures.map((c) => [c.kernelSize, c.strides, c.padding, c.outputPadding, c] as const))(
      'F.conv_transpose2d with kernel %s, stride %s, padding %s, output padding %s',
      (kernelSize, strides, padding, outputPadding, c) => {
        const layer = new ConvTranspose2d({ filters: c.filters, kernelSize, strides, padding, outputPadding });
        layer.build(c.input.shape);
        layer.setWeights([tf.tensor(c.kernel.values, c.kernel.shape), tf.tensor(c.bias)]);
        const y = tf.tidy(() => layer.apply(tf.tensor(c.input.values, c.input.shape)) as tf.Tensor);
        expect(y.shape).toEqual(c.output.shape);
        expect(maxAbsDiff(y.dataSync(), c.output.values)).toBeLessThan(1e-3);
      },
    );
  });
});

describe('ConvTranspose2d (backend-independent)', () => {
  test('rejects an output padding not smaller than the stride and over-cropping, naming the layer', () => {
    expect(() => new ConvTranspose2d({ name: 'up1', filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 })).toThrow(
      /ConvTranspose2d "up1": outputPadding \[2,2\] must be smaller than strides \[2,2\]/,
    );
    const layer = new ConvTranspose2d({ name: 'up2', filters: 2, kernelSize: 2, padding: 1 });
    expect(() => layer.computeOutputShape([null, 1, 1, 3])).toThrow(
      /ConvTranspose2d "up2" \(input \?x1x1x3, NHWC\): padding .* crops more/,
    );
    expect(() => new ConvTranspose2d({ name: 'up3', filters: 2, kernelSize: 3, strides: 0 })).toThrow(
      /strides must be positive integers, got 0/,
    );
  });

  test("rejects 'same' and 'valid' padding naming the layer, instead of planning NaN sizes", () => {
    for (const padding of ['same', 'valid']) {
      expect(() => new ConvTranspose2d({ name: 'up4', filters: 2, kernelSize: 3, padding: padding as never })).toThrow(
        new RegExp(
          `ConvTranspose2d "up4": padding must be p, \\[ph, pw\\] or \\[\\[top, bottom\\], \\[left, right\\]\\] .*got "${padding}"`,
        ),
      );
    }
  });
});
