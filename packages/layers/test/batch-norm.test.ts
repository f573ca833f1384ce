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
