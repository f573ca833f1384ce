import { initBackend, type ModelSummary, summarizeModel } from '@convkit/core';
import { layerShape, outputShapes } from '@convkit/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForCounting, figure, registry, torchvisionCounts } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('alexnet-tv at its default 224x224x3 input', () => {
  let model: LayersModel;
  let summary: ModelSummary;
  beforeAll(() => {
    model = buildForCounting('alexnet-tv');
    summary = summarizeModel(model);
  });
  afterAll(() => model.dispose());

  it(`has torchvision's ${figure(61_100_840)} trainable parameters`, () => {
    expect(summary.totals.trainableParams).toBe(61_100_840);
    expect(torchvisionCounts.alexnet?.trainable_params).toBe(61_100_840);
  });

  it('costs within 5% of the published 0.71 G MACs', () => {
    expect(Math.abs(summary.totals.macs / 0.71e9 - 1)).toBeLessThan(0.05);
  });

  it("pads conv1 by 2 like PyTorch, giving torchvision's 55x55x64, 27, 13 and 6x6x256 maps", () => {
    expect(layerShape(model, 'features.conv1')).toEqual([55, 55, 64]);
    expect(layerShape(model, 'features.pool1')).toEqual([27, 27, 64]);
    expect(layerShape(model, 'features.pool2')).toEqual([13, 13, 192]);
    expect(layerShape(model, 'features.pool5')).toEqual([6, 6, 256]);
    expect(outputShapes(model)).toEqual([[1000]]);
  });

  it('has no LRN and puts dropout before fc6 and fc7, as torchvision does', () => {
    expect(model.layers.some((l) => l.getClassName() === 'convkit.LocalResponseNorm')).toBe(false);
    expect(model.layers.slice(-6).map((l) => l.name)).toEqual([
      'flatten',
      'classifier.fc6.dropout',
      'classifier.fc6',
      'classifier.fc7.dropout',
      'classifier.fc7',
      'classifier.fc8',
    ]);
  });
});

it('alexnet-tv builds at 127x127x3 with 10 classes, pooling 3x3 features adaptively to 6x6', () => {
  const model = buildForCounting('alexnet-tv', { inputShape: [127, 127, 3], numClasses: 10 });
  expect(layerShape(model, 'features.pool5')).toEqual([3, 3, 256]);
  expect(layerShape(model, 'avgpool')).toEqual([6, 6, 256]);
  expect(outputShapes(model)).toEqual([[10]]);
  expect(summarizeModel(model).totals.trainableParams).toBe(61_100_840 - 4097 * 1000 + 4097 * 10);
  model.dispose();
});

describe('alexnet (the paper, single tower) at its default 227x227x3 input', () => {
  let model: LayersModel;
  beforeAll(() => {
    model = buildForCounting('alexnet');
  });
  afterAll(() => model.dispose());

  it(`has ${figure(62_378_344)} parameters, within 5% of the paper's "60 million"`, () => {
    const { trainableParams } = summarizeModel(model).totals;
    expect(trainableParams).toBe(62_378_344);
    expect(Math.abs(trainableParams / 60e6 - 1)).toBeLessThan(0.05);
  });

  it("has the paper's 55x55x96, 27x27x256, 13x13x384 and 6x6x256 maps and 1000 logits", () => {
    expect(layerShape(model, 'features.conv1')).toEqual([55, 55, 96]);
    expect(layerShape(model, 'features.pool1')).toEqual([27, 27, 96]);
    expect(layerShape(model, 'features.conv2')).toEqual([27, 27, 256]);
    expect(layerShape(model, 'features.conv3')).toEqual([13, 13, 384]);
    expect(layerShape(model, 'features.pool5')).toEqual([6, 6, 256]);
    expect(outputShapes(model)).toEqual([[1000]]);
  });

  it('normalizes conv1 and conv2 with LRN k=2, n=5, alpha=1e-4, beta=0.75 before their overlapping 3x3/2 pools', () => {
    const names = model.layers.map((l) => l.name);
    expect(names.slice(1, 7)).toEqual([
      'features.conv1',
      'features.lrn1',
      'features.pool1',
      'features.conv2',
      'features.lrn2',
      'features.pool2',
    ]);
    expect(model.getLayer('features.lrn1').getClassName()).toBe('convkit.LocalResponseNorm');
    expect(model.getLayer('features.lrn1').getConfig()).toMatchObject({ size: 5, alpha: 1e-4, beta: 0.75, k: 2, convention: 'alexnet' });
    expect(model.getLayer('features.pool1').getConfig()).toMatchObject({ poolSize: [3, 3], strides: [2, 2] });
    expect(model.getLayer('classifier.fc6.dropout').getConfig().rate).toBe(0.5);
  });
});

it('alexnet builds at 99x99x3, where fc6 sees 2x2x256 features', () => {
  const model = buildForCounting('alexnet', { inputShape: [99, 99, 3], numClasses: 10 });
  expect(layerShape(model, 'features.pool5')).toEqual([2, 2, 256]);
  expect(outputShapes(model)).toEqual([[10]]);
  model.dispose();
});

it('an AlexNet input too small for its three pools is a ConvkitError naming the minimum', () => {
  expect(() => registry.create('alexnet', { inputShape: [66, 66, 3] })).toThrow(
    expect.objectContaining({ name: 'ConvkitError', code: 'input-too-small', message: expect.stringContaining('at least 67x67') }),
  );
  expect(() => registry.create('alexnet-tv', { inputShape: [62, 62, 3] })).toThrow(/at least 63x63/);
});
