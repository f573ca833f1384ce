import { convParams, summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, type LayersModel, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { denseBlock, denseTransition } from '../src/index.js';
import './support/setup.js';

function built(shape: number[], block: (x: SymbolicTensor) => SymbolicTensor): LayersModel {
  const x = input({ shape });
  return model({ inputs: x, outputs: block(x) });
}

/** Trainable weights of one bottleneck dense layer on `c` channels: BN(c), 1x1 c -> bk, BN(bk), 3x3 bk -> k. */
function bottleneckLayerParams(c: number, k: number, b: number): number {
  const conv = (kernel: number, inChannels: number, outChannels: number) =>
    convParams({ outHeight: 1, outWidth: 1, kernelHeight: kernel, kernelWidth: kernel, inChannels, outChannels, useBias: false });
  return 2 * c + conv(1, c, b * k) + 2 * b * k + conv(3, b * k, k);
}

describe('denseBlock', () => {
  test("adds k channels per layer (c + L k out) and names each layer's units as torchvision's _DenseLayer", () => {
    const m = built([5, 5, 6], denseBlock('features.denseblock1', { layers: 3, growthRate: 4, bottleneckWidth: 2 }));
    expect(m.outputs[0]?.shape).toEqual([null, 5, 5, 6 + 3 * 4]);
    const first = m.layers.slice(1, 8).map((l) => l.name);
    expect(first).toEqual([
      'features.denseblock1.denselayer1.norm1',
      'features.denseblock1.denselayer1.relu1',
      'features.denseblock1.denselayer1.conv1',
      'features.denseblock1.denselayer1.norm2',
      'features.denseblock1.denselayer1.relu2',
      'features.denseblock1.denselayer1.conv2',
      'features.denseblock1.denselayer1.concat',
    ]);
    expect(m.getLayer('features.denseblock1.denselayer3.norm1').getWeights()[0]?.shape).toEqual([6 + 2 * 4]);
    expect(m.getLayer('features.denseblock1.denselayer2.conv1').getConfig()).toMatchObject({
      filters: 8,
      kernelSize: [1, 1],
      useBias: false,
    });
    expect(m.getLayer('features.denseblock1.denselayer2.conv2').getConfig()).toMatchObject({
      filters: 4,
      kernelSize: [3, 3],
      useBias: false,
    });
  });

  test('has sum over layers i of 2(c + ik) + (c + ik) bk + 2bk + 9bk^2 trainable parameters (DenseNet-B)', () => {
    const [c, k, b, layers] = [6, 4, 2, 3];
    const m = built([5, 5, c], denseBlock('block', { layers, growthRate: k, bottleneckWidth: b }));
    const expected = Array.from({ length: layers }, (_, i) => bottleneckLayerParams(c + i * k, k, b)).reduce((a, v) => a + v);
    expect(summarizeModel(m).totals.trainableParams).toBe(expected);
  });

  test("each layer's output is its input with the new channels appended, unchanged", () => {
    const m = built([4, 4, 3], denseBlock('block', { layers: 2, growthRate: 2, bottleneckWidth: 0, layerName: (i) => `layer${i}` }));
    expect(m.getLayer('block.layer1.conv1').getConfig()).toMatchObject({ kernelSize: [3, 3], filters: 2 });
    const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 5);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 4, 4, 7]);
    const kept = tf.slice(y, [0, 0, 0, 0], [-1, -1, -1, 3]);
    expect(tf.max(tf.abs(tf.sub(kept, x))).dataSync()[0]).toBe(0);
  });

  test('puts a dropout after each 3x3 convolution only when dropRate > 0', () => {
    const m = built([4, 4, 3], denseBlock('b', { layers: 2, growthRate: 2, dropRate: 0.2 }));
    expect(m.getLayer('b.denselayer2.dropout').getConfig().rate).toBe(0.2);
    const none = built([4, 4, 3], denseBlock('b', { layers: 2, growthRate: 2 }));
    expect(none.layers.some((l) => l.getClassName() === 'Dropout')).toBe(false);
  });
});

describe('denseTransition', () => {
  test('is BN, ReLU, a bias-free 1x1 convolution and a 2x2/2 average pool that floors odd sizes, as torchvision names them', () => {
    const m = built([7, 7, 10], denseTransition('features.transition1', { filters: 5 }));
    expect(m.layers.slice(1).map((l) => [l.name, l.getClassName()])).toEqual([
      ['features.transition1.norm', 'BatchNormalization'],
      ['features.transition1.relu', 'convkit.Activation'],
      ['features.transition1.conv', 'Conv2D'],
      ['features.transition1.pool', 'AveragePooling2D'],
    ]);
    expect(m.outputs[0]?.shape).toEqual([null, 3, 3, 5]);
    expect(summarizeModel(m).totals.trainableParams).toBe(2 * 10 + 10 * 5);
  });
});
