import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { layerNorm } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import { maxAbsDiff } from './support/fixtures.js';
import './support/setup.js';

checkLayerContract('layerNorm over channels', {
  make: () => layerNorm({ name: 'block.norm' }),
  shapes: [
    [
      [4, 4, 6],
      [4, 4, 6],
    ],
    [
      [7, 1, 6],
      [7, 1, 6],
    ],
  ],
  gradientInput: [1, 2, 2, 4],
});

describe('layerNorm', () => {
  test('normalises each position over its channels', () => {
    const x = tf.randomNormal([1, 2, 2, 5], 3, 2, 'float32', 8);
    const y = layerNorm().apply(x) as tf.Tensor;
    const mean = tf.mean(y, -1);
    const variance = tf.mean(tf.square(tf.sub(y, tf.expandDims(mean, -1))), -1);
    expect(maxAbsDiff(mean.dataSync(), [0, 0, 0, 0])).toBeLessThan(1e-5);
    expect(maxAbsDiff(variance.dataSync(), [1, 1, 1, 1])).toBeLessThan(1e-3);
  });
});
