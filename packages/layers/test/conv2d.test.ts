import { summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, model } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { Conv2d } from '../src/index.js';
import { onEachBackend } from './support/backends.js';
import { checkLayerContract } from './support/contract.js';
import { loadFixture, maxAbsDiff, type StoredTensor } from './support/fixtures.js';
import './support/setup.js';

interface ConvCase {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: [number, number];
  groups: number;
  input: StoredTensor;
  kernel: StoredTensor;
  bias: number[];
  output: StoredTensor;
}

checkLayerContract('Conv2d 3x3 stride 2 with PyTorch padding 1', {
  make: () => new Conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 1 }),
  shapes: [
    [
      [7, 7, 3],
      [4, 4, 4],
    ],
    [
      [8, 8, 3],
      [4, 4, 4],
    ],
    [
      [224, 224, 3],
      [112, 112, 4],
    ],
    [
      [5, 9, 3],
      [3, 5, 4],
    ],
  ],
  gradientInput: [1, 5, 5, 2],
});

checkLayerContract('Conv2d with dilation 2, stride 2 and 2 groups (the combination tfjs refuses)', {
  make: () => new Conv2d({ filters: 4, kernelSize: 3, strides: 2, dilation: 2, groups: 2, padding: 2 }),
  shapes: [
    [
      [7, 7, 4],
      [4, 4, 4],
    ],
    [
      [10, 6, 4],
      [5, 3, 4],
    ],
  ],
  gradientInput: [1, 6, 6, 4],
});

checkLayerContract("Conv2d with TF 'same' padding at stride 2", {
  make: () => new Conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
  shapes: [
    [
      [7, 7, 1],
      [4, 4, 2],
    ],
    [
      [8, 5, 1],
      [4, 3, 2],
    ],
  ],
  gradientInput: [1, 4, 4, 1],
});

checkLayerContract('Conv2d with asymmetric explicit padding', {
  make: () =>
    new Conv2d({
      filters: 2,
      kernelSize: [3, 2],
      padding: [
        [2, 0],
        [1, 0],
      ],
      useBias: false,
    }),
  shapes: [
    [
      [4, 4, 1],
      [4, 4, 2],
    ],
    [
      [6, 3, 1],
      [6, 3, 2],
    ],
  ],
  gradientInput: [1, 4, 4, 1],
});

checkLayerContract('Conv2d depthwise through groups = channels', {
  make: () => new Conv2d({ filters: 6, kernelSize: 3, groups: 3, padding: 1 }),
  shapes: [
    [
      [5, 5, 3],
      [5, 5, 6],
    ],
    [
      [9, 4, 3],
      [9, 4, 6],
    ],
  ],
  gradientInput: [1, 4, 4, 3],
});

const fixtures = loadFixture<ConvCase>('conv.json');

onEachBackend(() => {
  describe('Conv2d equals PyTorch', () => {
    test.each(
      fixtures.map((c) => [JSON.stringify({ k: c.kernelSize, s: c.strides, d: c.dilation, p: c.padding, g: c.groups }), c] as const),
    )('F.conv2d with %s', (_, c) => {
      const layer = new Conv2d({
        filters: c.filters,
        kernelSize: c.kernelSize,
        strides: c.strides,
        dilation: c.dilation,
        padding: c.padding,
        groups: c.groups,
      });
      layer.build(c.input.shape);
      layer.setWeights([tf.tensor(c.kernel.values, c.kernel.shape), tf.tensor(c.bias)]);
      const y = tf.tidy(() => layer.apply(tf.tensor(c.input.values, c.input.shape)) as tf.Tensor);
      expect(y.shape).toEqual(c.output.shape);
      expect(maxAbsDiff(y.dataSync(), c.output.values)).toBeLessThan(1e-3);
    });
  });

  test("'same' padding at stride 2 puts the odd zero bottom/right (TF), PyTorch's p=1 puts one on each side", () => {
    const x = tf.tensor(
      Array.from({ length: 16 }, (_, i) => i + 1),
      [1, 4, 4, 1],
    );
    const ones = (padding: 'same' | number) => {
      const layer = new Conv2d({ filters: 1, kernelSize: 3, strides: 2, padding, useBias: false, kernelInitializer: 'ones' });
      return Array.from((layer.apply(x) as tf.Tensor).dataSync());
    };
    // window sums of the 4x4 ramp: TF pads [0, 1], PyTorch [1, 1].
    expect(ones('same')).toEqual([54, 45, 72, 54]);
    expect(ones(1)).toEqual([14, 30, 57, 99]);
  });
});

describe('Conv2d (backend-independent)', () => {
  test('initialises like torchvision: He normal with fan_out, zero bias', () => {
    const layer = new Conv2d({ filters: 64, kernelSize: 3 });
    layer.build([null, 8, 8, 32]);
    const [kernel, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor];
    const values = Array.from(kernel.dataSync());
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / (64 * 9)), 2);
    expect(Array.from(bias.dataSync()).every((b) => b === 0)).toBe(true);
  });

  test('declares unknown spatial sizes as unknown (fully convolutional models)', () => {
    const layer = new Conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' });
    expect(layer.computeOutputShape([null, null, null, 3])).toEqual([null, null, null, 4]);
    const x = input({ shape: [null, null, 3] } as never);
    const m = model({ inputs: x, outputs: layer.apply(x) as never });
    expect((m.predict(tf.zeros([1, 9, 6, 3])) as tf.Tensor).shape).toEqual([1, 5, 3, 4]);
  });

  test('counts grouped MACs and reports its window to summaries', () => {
    const x = input({ shape: [8, 8, 4] });
    const y = new Conv2d({ filters: 8, kernelSize: 3, strides: 2, dilation: 2, padding: 2, groups: 2 }).apply(x);
    const row = summarizeModel(model({ inputs: x, outputs: y as never })).layers[1];
    expect(row?.macs).toBe(4 * 4 * 8 * 9 * 2);
    expect(row?.receptiveField.height).toEqual({ size: 5, jump: 2 });
    expect(row?.params).toBe(3 * 3 * 2 * 8 + 8);
  });

  test('rejects bad geometry naming the layer, the shapes and the constraint', () => {
    const conv = new Conv2d({ name: 'stem.conv', filters: 4, kernelSize: 7, padding: 1 });
    expect(() => conv.computeOutputShape([null, 4, 4, 3])).toThrow(
      /Conv2d "stem.conv" \(input \?x4x4x3, NHWC\): height: kernel 7 \(span 7 with dilation 1\) is larger than the padded input 6/,
    );
    expect(() => conv.computeOutputShape([null, 4, 3])).toThrow(/Conv2d "stem.conv" \(input \?x4x3, NHWC\): expects a rank-4 NHWC input/);
    expect(() => new Conv2d({ name: 'c1', filters: 4, kernelSize: 3, strides: [1, 0] })).toThrow(
      /Conv2d "c1": strides must be positive integers, got \[1,0\]/,
    );
    expect(() => new Conv2d({ name: 'c1', filters: 4, kernelSize: 3, strides: -2 })).toThrow(/strides must be positive integers, got -2/);
    expect(() => new Conv2d({ name: 'g', filters: 6, kernelSize: 3, groups: 4 })).toThrow(
      /filters \(6\) must be divisible by groups \(4\)/,
    );
    expect(() => new Conv2d({ name: 'g', filters: 4, kernelSize: 3, groups: 2 }).apply(tf.zeros([1, 5, 5, 3]))).toThrow(
      /Conv2d "g" \(input 1x5x5x3, NHWC\): input channels \(3\) must be divisible by groups \(2\)/,
    );
  });
});
