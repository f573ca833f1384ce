import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { Conv2d, DepthwiseConv2d } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import { maxAbsDiff } from './support/fixtures.js';
import './support/setup.js';

checkLayerContract('DepthwiseConv2d 3x3 stride 2, multiplier 2', {
  make: () => new DepthwiseConv2d({ kernelSize: 3, strides: 2, padding: 1, depthMultiplier: 2 }),
  shapes: [
    [
      [7, 7, 3],
      [4, 4, 6],
    ],
    [
      [8, 5, 3],
      [4, 3, 6],
    ],
    [
      [32, 32, 3],
      [16, 16, 6],
    ],
  ],
  gradientInput: [1, 5, 5, 2],
});

checkLayerContract('DepthwiseConv2d dilated 2 (atrous)', {
  make: () => new DepthwiseConv2d({ kernelSize: 3, dilation: 2, padding: 2, useBias: false }),
  shapes: [
    [
      [6, 6, 2],
      [6, 6, 2],
    ],
    [
      [9, 4, 2],
      [9, 4, 2],
    ],
  ],
  gradientInput: [1, 6, 5, 2],
});

describe('DepthwiseConv2d (backend-independent)', () => {
  test('equals Conv2d with groups = channels given the same weights', () => {
    const x = tf.randomNormal([1, 6, 6, 3], 0, 1, 'float32', 3);
    const depthwise = new DepthwiseConv2d({ kernelSize: 3, strides: 2, padding: 1, depthMultiplier: 2 });
    const grouped = new Conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 1, groups: 3 });
    depthwise.build(x.shape);
    grouped.build(x.shape);
    const [kernel, bias] = depthwise.getWeights() as [tf.Tensor, tf.Tensor];
    grouped.setWeights([tf.reshape(kernel, [3, 3, 1, 6]), bias]);
    const a = (depthwise.apply(x) as tf.Tensor).dataSync();
    const b = (grouped.apply(x) as tf.Tensor).dataSync();
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
  });

  test('rejects a kernel larger than the padded input naming the layer and shapes', () => {
    const layer = new DepthwiseConv2d({ name: 'block1.dw', kernelSize: 5, dilation: 2 });
    expect(() => layer.computeOutputShape([null, 8, 8, 4])).toThrow(
      /DepthwiseConv2d "block1.dw" \(input \?x8x8x4, NHWC\): height: kernel 5 \(span 9 with dilation 2\) is larger than the padded input 8/,
    );
  });
});
