import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { batchNorm } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import { maxAbsDiff } from './support/fixtures.js';
import './support/setup.js';

checkLayerContract('batchNorm (stock tfjs BatchNormalization with PyTorch defaults)', {
  make: () => batchNorm({ name: 'stem.bn' }),
  shapes: [
    [
      [5, 5, 3],
      [5, 5, 3],
    ],
    [
      [2, 9, 3],
      [2, 9, 3],
    ],
  ],
  gradientInput: [2, 2, 2, 3],
});

describe('batchNorm', () => {
  test("uses PyTorch's epsilon 1e-5 and momentum 0.1 (tfjs momentum 0.9), and zero-init gamma on request", () => {
    const config = batchNorm().getConfig();
    expect(config.epsilon).toBe(1e-5);
    expect(config.momentum).toBeCloseTo(0.9, 12);
    expect(batchNorm({ kerasMomentum: 0.99 }).getConfig().momentum).toBe(0.99);
    const last = batchNorm({ zeroInit: true });
    const y = last.apply(tf.randomNormal([2, 3, 3, 4])) as tf.Tensor;
    expect(Array.from(y.dataSync()).every((v) => v === 0)).toBe(true);
  });

  test("updates running statistics as PyTorch's momentum 0.1 does: running = 0.9 running + 0.1 batch", () => {
    const layer = batchNorm();
    const x = tf.randomNormal([8, 3, 3, 2], 5, 2, 'float32', 1);
    layer.apply(x, { training: true });
    const batchMean = tf.mean(x, [0, 1, 2]);
    const [, , movingMean] = layer.getWeights() as tf.Tensor[];
    // running mean starts at 0.
    expect(maxAbsDiff((movingMean as tf.Tensor).dataSync(), tf.mul(batchMean, 0.1).dataSync())).toBeLessThan(1e-5);
  });

  test('updates the running variance with the biased batch variance: 0.9 * 1 + 0.1 * var, then again from there', () => {
    const layer = batchNorm();
    const first = tf.randomNormal([6, 2, 2, 3], 1, 3, 'float32', 2);
    const second = tf.randomNormal([6, 2, 2, 3], -2, 0.5, 'float32', 3);
    const biasedVariance = (x: tf.Tensor) => tf.moments(x, [0, 1, 2]).variance;
    layer.apply(first, { training: true });
    const afterOne = tf.add(0.9, tf.mul(biasedVariance(first), 0.1)); // running variance starts at 1
    expect(maxAbsDiff((layer.getWeights()[3] as tf.Tensor).dataSync(), afterOne.dataSync())).toBeLessThan(1e-5);
    layer.apply(second, { training: true });
    const afterTwo = tf.add(tf.mul(afterOne, 0.9), tf.mul(biasedVariance(second), 0.1));
    expect(maxAbsDiff((layer.getWeights()[3] as tf.Tensor).dataSync(), afterTwo.dataSync())).toBeLessThan(1e-5);
    // and inference normalizes with the running statistics: (x - running mean) / sqrt(running var + 1e-5)
    const [, , mean, variance] = layer.getWeights() as tf.Tensor[];
    const y = layer.apply(first) as tf.Tensor;
    const expected = tf.div(tf.sub(first, mean as tf.Tensor), tf.sqrt(tf.add(variance as tf.Tensor, 1e-5)));
    expect(maxAbsDiff(y.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
  });

  test('rejects both momentum conventions at once', () => {
    expect(() => batchNorm({ name: 'bn1', momentum: 0.1, kerasMomentum: 0.9 })).toThrow(
      /batch norm bn1: give momentum \(PyTorch's\) or kerasMomentum, not both/,
    );
  });

  test('names an unnamed batch norm without a stray space before the colon', () => {
    expect(() => batchNorm({ momentum: 0.1, kerasMomentum: 0.9 })).toThrow(/^batch norm: give momentum/);
    expect(() => batchNorm({ momentum: 2 })).toThrow(/^batch norm: momentum must be in \[0, 1\], got 2$/);
  });
});
