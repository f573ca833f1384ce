import { summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, model } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { GlobalAvgPool2d, GlobalMaxPool2d } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import './support/setup.js';

checkLayerContract('GlobalAvgPool2d', {
  make: () => new GlobalAvgPool2d(),
  shapes: [
    [[7, 7, 4], [4]],
    [[1, 1, 4], [4]],
    [[13, 5, 4], [4]],
  ],
});

checkLayerContract('GlobalMaxPool2d keeping 1x1 spatial axes', {
  make: () => new GlobalMaxPool2d({ keepDims: true }),
  shapes: [
    [
      [7, 7, 4],
      [1, 1, 4],
    ],
    [
      [2, 9, 4],
      [1, 1, 4],
    ],
  ],
});

describe('global pooling (backend-independent)', () => {
  test('averages and maximises over height and width', () => {
    const x = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    expect(Array.from((new GlobalAvgPool2d().apply(x) as tf.Tensor).dataSync())).toEqual([4, 5]);
    expect(Array.from((new GlobalMaxPool2d().apply(x) as tf.Tensor).dataSync())).toEqual([7, 8]);
  });

  test('is global in summaries', () => {
    const x = input({ shape: [6, 6, 4] });
    const row = summarizeModel(model({ inputs: x, outputs: new GlobalAvgPool2d().apply(x) as never })).layers[1];
    expect(row?.receptiveField.global).toBe(true);
    expect(row?.macs).toBe(6 * 6 * 4);
  });

  test('rejects a rank-2 input naming the layer', () => {
    expect(() => new GlobalAvgPool2d({ name: 'gap' }).computeOutputShape([null, 4])).toThrow(
      /GlobalAvgPool2d "gap" \(input \?x4, NHWC\): expects a rank-4/,
    );
  });
});
