import { depthwiseSeparableCostRatio, summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, model } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { Conv2d, SeparableConv2d } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import './support/setup.js';

checkLayerContract('SeparableConv2d 3x3 then 1x1', {
  make: () => new SeparableConv2d({ filters: 5, kernelSize: 3, padding: 1, depthMultiplier: 2 }),
  shapes: [
    [
      [6, 6, 3],
      [6, 6, 5],
    ],
    [
      [9, 4, 3],
      [9, 4, 5],
    ],
    [
      [1, 1, 3],
      [1, 1, 5],
    ],
  ],
  gradientInput: [1, 4, 4, 2],
});

describe('SeparableConv2d (backend-independent)', () => {
  test('costs 1/N + 1/k^2 of a standard convolution (MobileNets §3.1)', () => {
    const x = input({ shape: [16, 16, 32] });
    const separable = summarizeModel(
      model({ inputs: x, outputs: new SeparableConv2d({ filters: 64, kernelSize: 3, padding: 1 }).apply(x) as never }),
    );
    const standard = summarizeModel(
      model({ inputs: x, outputs: new Conv2d({ filters: 64, kernelSize: 3, padding: 1 }).apply(x) as never }),
    );
    expect(separable.totals.macs / standard.totals.macs).toBeCloseTo(depthwiseSeparableCostRatio(64, 3), 10);
  });

  test('has no bias between its steps (Xception form): with zero weights the output is its bias', () => {
    const layer = new SeparableConv2d({ filters: 2, kernelSize: 3, kernelInitializer: 'zeros', biasInitializer: 'ones' });
    const y = layer.apply(tf.randomNormal([1, 4, 4, 3])) as tf.Tensor;
    expect([...new Set(y.dataSync())]).toEqual([1]);
  });
});
