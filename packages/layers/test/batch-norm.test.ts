import { maxRelativeError } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { batchNorm } from '../src/index.js';
import { onEachBackend } from './support/backends.js';
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

  test('keeps the stock class and config, so saved models load in plain tfjs as before', () => {
    const layer = batchNorm({ name: 'stage1.bn' });
    expect(layer.getClassName()).toBe('BatchNormalization');
    const copy = layers.batchNormalization(layer.getConfig() as Parameters<typeof layers.batchNormalization>[0]);
    expect(copy.getConfig()).toEqual(layer.getConfig());
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

  test('updates the running variance with the unbiased batch variance, as PyTorch: 0.9 * 1 + 0.1 * var * n/(n-1), then again from there', () => {
    const layer = batchNorm();
    const first = tf.randomNormal([6, 2, 2, 3], 1, 3, 'float32', 2);
    const second = tf.randomNormal([6, 2, 2, 3], -2, 0.5, 'float32', 3);
    // 24 values per channel: PyTorch's running variance takes the batch variance times 24/23.
    const unbiasedVariance = (x: tf.Tensor) => tf.mul(tf.moments(x, [0, 1, 2]).variance, 24 / 23);
    layer.apply(first, { training: true });
    const afterOne = tf.add(0.9, tf.mul(unbiasedVariance(first), 0.1)); // running variance starts at 1
    expect(maxAbsDiff((layer.getWeights()[3] as tf.Tensor).dataSync(), afterOne.dataSync())).toBeLessThan(1e-5);
    layer.apply(second, { training: true });
    const afterTwo = tf.add(tf.mul(afterOne, 0.9), tf.mul(unbiasedVariance(second), 0.1));
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

onEachBackend((backend) => {
  describe('batchNorm training (fused kernels)', () => {
    test(`on ${backend}: output and input/scale/shift gradients equal stock tfjs BatchNormalization's`, () => {
      const fused = batchNorm({ name: 'fused' });
      const stock = layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name: 'stock' });
      const x = tf.randomNormal([4, 5, 3, 6], 2, 3, 'float32', 7);
      const w = tf.randomNormal([4, 5, 3, 6], 0, 1, 'float32', 8);
      for (const layer of [fused, stock]) layer.build(x.shape);
      // Random scale and shift so the gradients depend on them.
      const weights = [tf.randomUniform([6], 0.5, 2, 'float32', 9), tf.randomUniform([6], -1, 1, 'float32', 10)];
      for (const layer of [fused, stock]) layer.setWeights([...weights, ...layer.getWeights().slice(2)]);
      const run = (layer: layers.Layer) =>
        tf.tidy(() => {
          const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
          const f = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, w)) as tf.Scalar;
          const dx = tf.grad(f)(x).dataSync();
          const { grads } = tf.variableGrads(() => f(x), vars);
          const y = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
          return { y, dx, dScale: grads[vars[0]?.name as string]?.dataSync(), dShift: grads[vars[1]?.name as string]?.dataSync() };
        });
      const a = run(fused);
      const b = run(stock);
      expect(maxRelativeError(a.y, b.y)).toBeLessThan(1e-5);
      expect(maxRelativeError(a.dx, b.dx)).toBeLessThan(1e-4);
      expect(maxRelativeError(a.dScale as Float32Array, b.dScale as Float32Array)).toBeLessThan(1e-4);
      expect(maxRelativeError(a.dShift as Float32Array, b.dShift as Float32Array)).toBeLessThan(1e-4);
      tf.dispose([x, w, ...weights]);
    });

    test(`on ${backend}: the running variance moves towards the unbiased batch variance, as PyTorch's does`, () => {
      const layer = batchNorm();
      const x = tf.randomNormal([3, 2, 2, 4], 1, 2, 'float32', 3);
      layer.apply(x, { training: true });
      const { variance } = tf.moments(x, [0, 1, 2]);
      const n = 12;
      const expected = tf.add(0.9, tf.mul(variance, (0.1 * n) / (n - 1)));
      const movingVariance = layer.getWeights()[3] as tf.Tensor;
      expect(maxRelativeError(movingVariance.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
      tf.dispose([x, variance, expected]);
    });

    test(`on ${backend}: affine: false trains (no scale or shift to read) and normalizes each channel`, () => {
      const layer = batchNorm({ affine: false });
      const x = tf.randomNormal([6, 3, 3, 2], 4, 3, 'float32', 5);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      expect(Math.max(...Array.from(mean.dataSync()).map(Math.abs))).toBeLessThan(1e-4);
      expect(maxRelativeError(variance.dataSync(), [1, 1])).toBeLessThan(1e-3);
      tf.dispose([x, y, mean, variance]);
    });
  });
});
