import { initBackend, type ModelSummary, summarizeModel } from '@convkit/core';
import { layerShape, outputShapes } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForCounting, figure, registry, torchvisionCounts } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Registered ImageNet VGGs, torchvision's names for them, their parameter counts and the commonly published G MACs. */
const IMAGENET_VGGS = [
  ['vgg11', 'vgg11', 132_863_336, 7.6],
  ['vgg11-bn', 'vgg11_bn', 132_868_840, 7.6],
  ['vgg13', 'vgg13', 133_047_848, 11.3],
  ['vgg13-bn', 'vgg13_bn', 133_053_736, 11.3],
  ['vgg16', 'vgg16', 138_357_544, 15.5],
  ['vgg16-bn', 'vgg16_bn', 138_365_992, 15.5],
  ['vgg19', 'vgg19', 143_667_240, 19.6],
  ['vgg19-bn', 'vgg19_bn', 143_678_248, 19.6],
] as const;

/** Parameters of a logits layer of `classes` units on `inputs` features. */
const logitsParams = (inputs: number, classes: number) => inputs * classes + classes;

describe.each(IMAGENET_VGGS)('%s', (name, torchvisionName, params, gigaMacs) => {
  describe('at its default 224x224x3 input', () => {
    let model: LayersModel;
    let summary: ModelSummary;
    beforeAll(() => {
      model = buildForCounting(name);
      summary = summarizeModel(model);
    });
    afterAll(() => model.dispose());

    it(`has torchvision's ${figure(params)} trainable parameters`, () => {
      expect(summary.totals.trainableParams).toBe(params);
      expect(torchvisionCounts[torchvisionName]?.trainable_params).toBe(params);
    });

    it(`costs within 2% of the commonly published ${gigaMacs} G MACs`, () => {
      expect(Math.abs(summary.totals.macs / (gigaMacs * 1e9) - 1)).toBeLessThan(0.02);
    });

    it("costs torchvision's convolution and fully connected MACs plus under 0.3% for pooling and batch norm", () => {
      const reference = torchvisionCounts[torchvisionName]!.macs_224;
      expect(summary.totals.macs).toBeGreaterThanOrEqual(reference);
      expect(summary.totals.macs / reference - 1).toBeLessThan(0.003);
    });

    it('ends its features at 7x7x512 and outputs 1000 logits', () => {
      expect(layerShape(model, 'features.pool5')).toEqual([7, 7, 512]);
      expect(layerShape(model, 'avgpool')).toEqual([7, 7, 512]);
      expect(outputShapes(model)).toEqual([[1000]]);
    });
  });

  it('builds at 64x64x3 with 10 classes, pooling 2x2 features adaptively to 7x7 for the same classifier', () => {
    const model = buildForCounting(name, { inputShape: [64, 64, 3], numClasses: 10 });
    expect(layerShape(model, 'features.pool5')).toEqual([2, 2, 512]);
    expect(layerShape(model, 'avgpool')).toEqual([7, 7, 512]);
    expect(outputShapes(model)).toEqual([[10]]);
    expect(summarizeModel(model).totals.trainableParams).toBe(params - logitsParams(4096, 1000) + logitsParams(4096, 10));
    model.dispose();
  });
});

describe('vgg16 layer names', () => {
  it("follow the paper's conv<stage>_<index> and fc6-fc8, with PyTorch-default .bn (eps 1e-5, momentum 0.1) and .relu after a biased conv", () => {
    const plain = buildForCounting('vgg16', { widthMultiplier: 1 / 64, inputShape: [32, 32, 3] });
    const names = plain.layers.map((l) => l.name);
    expect(names).toContain('features.conv3_3');
    expect(names).toContain('features.pool5');
    expect(names.slice(-6)).toEqual([
      'flatten',
      'classifier.fc6',
      'classifier.fc6.dropout',
      'classifier.fc7',
      'classifier.fc7.dropout',
      'classifier.fc8',
    ]);
    const normalized = buildForCounting('vgg16-bn', { widthMultiplier: 1 / 64, inputShape: [32, 32, 3] });
    expect(normalized.layers.slice(1, 4).map((l) => l.name)).toEqual(['features.conv1_1', 'features.conv1_1.bn', 'features.conv1_1.relu']);
    expect(normalized.getLayer('features.conv1_1').getConfig().useBias).toBe(true);
    expect(normalized.getLayer('features.conv1_1.bn').getConfig()).toMatchObject({ epsilon: 1e-5, momentum: 0.9 });
    plain.dispose();
    normalized.dispose();
  });
});

/** CIFAR VGGs and their parameter counts with batch norm (convolutions as in the paper, one 512 -> 10 layer). */
const CIFAR_VGGS = [
  ['vgg11-cifar', 9_231_114],
  ['vgg13-cifar', 9_416_010],
  ['vgg16-cifar', 14_728_266],
  ['vgg19-cifar', 20_040_522],
] as const;

describe.each(CIFAR_VGGS)('%s', (name, params) => {
  it(`has ${figure(params)} trainable parameters and maps 32x32x3 to 1x1x512 and 10 logits`, () => {
    const model = buildForCounting(name);
    expect(summarizeModel(model).totals.trainableParams).toBe(params);
    expect(layerShape(model, 'features.pool5')).toEqual([1, 1, 512]);
    expect(outputShapes(model)).toEqual([[10]]);
    model.dispose();
  });

  it('builds at 64x64x3 with 100 classes and, without batch norm, loses the 2 x channels of each BN', () => {
    const model = buildForCounting(name, { inputShape: [64, 64, 3], numClasses: 100, batchNorm: false });
    const convChannels = model.layers
      .filter((l) => l.getClassName() === 'Conv2D')
      .reduce((sum, l) => sum + (l.getConfig().filters as number), 0);
    expect(layerShape(model, 'features.pool5')).toEqual([2, 2, 512]);
    expect(outputShapes(model)).toEqual([[100]]);
    expect(summarizeModel(model).totals.trainableParams).toBe(params - 2 * convChannels - logitsParams(512, 10) + logitsParams(512, 100));
    model.dispose();
  });
});

it('a VGG input smaller than 32x32 is a ConvkitError naming the minimum', () => {
  expect(() => registry.create('vgg11-cifar', { inputShape: [16, 16, 3] })).toThrow(
    expect.objectContaining({ name: 'ConvkitError', code: 'input-too-small', message: expect.stringContaining('at least 32x32') }),
  );
});

it('vgg16 built for training draws Glorot-uniform weights within their bound', () => {
  const model = registry.create('vgg16');
  const fc6 = model.getLayer('classifier.fc6').getWeights()[0]!;
  const bound = Math.sqrt(6 / (7 * 7 * 512 + 4096));
  const [min, max] = [tf.min(fc6).dataSync()[0]!, tf.max(fc6).dataSync()[0]!];
  expect(min).toBeGreaterThanOrEqual(-bound);
  expect(max).toBeLessThanOrEqual(bound);
  expect(max - min).toBeGreaterThan(1.9 * bound);
  model.dispose();
});
