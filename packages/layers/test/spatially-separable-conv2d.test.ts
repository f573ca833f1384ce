import { summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, model } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { Conv2d, type FiltersConvArgs, SpatiallySeparableConv2d } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import { maxAbsDiff } from './support/fixtures.js';
import './support/setup.js';

checkLayerContract('SpatiallySeparableConv2d 3x1 then 1x3, stride 2, padding 1', {
  make: () => new SpatiallySeparableConv2d({ filters: 4, middleFilters: 3, kernelSize: 3, strides: 2, padding: 1 }),
  shapes: [
    [
      [7, 7, 2],
      [4, 4, 4],
    ],
    [
      [8, 11, 2],
      [4, 6, 4],
    ],
  ],
  gradientInput: [1, 5, 5, 2],
});

checkLayerContract('SpatiallySeparableConv2d 7x1 then 1x7 (Inception v3), dilation 2', {
  make: () => new SpatiallySeparableConv2d({ filters: 2, kernelSize: [7, 5], dilation: [1, 2], padding: [3, 4] }),
  shapes: [
    [
      [8, 8, 2],
      [8, 8, 2],
    ],
    [
      [17, 17, 2],
      [17, 17, 2],
    ],
  ],
  gradientInput: [1, 7, 8, 1],
});

describe('SpatiallySeparableConv2d (backend-independent)', () => {
  test('equals a k x k convolution whose kernel is the outer product of its two kernels (one channel)', () => {
    const x = tf.randomNormal([1, 7, 6, 1], 0, 1, 'float32', 4);
    // One geometry for both layers: the claim is about equal options, so they are written once.
    const geometry: FiltersConvArgs = {
      filters: 1,
      kernelSize: 3,
      strides: [2, 1],
      padding: [
        [1, 1],
        [2, 0],
      ],
      useBias: false,
    };
    const separable = new SpatiallySeparableConv2d(geometry);
    separable.build(x.shape);
    const [vertical, horizontal] = separable.getWeights() as [tf.Tensor, tf.Tensor];
    const full = new Conv2d(geometry);
    full.build(x.shape);
    full.setWeights([
      tf.reshape(tf.outerProduct(tf.reshape(vertical, [3]) as tf.Tensor1D, tf.reshape(horizontal, [3]) as tf.Tensor1D), [3, 3, 1, 1]),
    ]);
    const a = separable.apply(x) as tf.Tensor;
    const b = full.apply(x) as tf.Tensor;
    expect(a.shape).toEqual(b.shape);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-5);
  });

  test('costs its vertical step at the unpadded input width, since the width is padded only for the horizontal step', () => {
    const x = input({ shape: [5, 5, 1] });
    const layer = new SpatiallySeparableConv2d({ filters: 2, middleFilters: 3, kernelSize: 3, padding: [0, 2] });
    const row = summarizeModel(model({ inputs: x, outputs: layer.apply(x) as never })).layers[1];
    // vertical 3x1: 3 rows x 5 columns x 3 filters x 3 taps x 1 channel; horizontal 1x3: 3 x 7 x 2 x 3 x 3.
    expect(row?.macs).toBe(3 * 5 * 3 * 3 * 1 + 3 * 7 * 2 * 3 * 3);
  });
});
