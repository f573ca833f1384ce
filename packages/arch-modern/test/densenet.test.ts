import { initBackend, summarizeModel } from '@convkit/core';
import { layerShape, outputShapes } from '@convkit/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convAndDenseMacs, torchvisionCounts } from './support/dense-mobile-counts.js';
import { buildForCounting, figure } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** The "output size" column of the paper's Table 1 at 224x224 (DenseNet-121's channels: 64 + 6 * 32 = 256, ...). */
const TABLE1_SIZES = {
  'features.pool0': [56, 56, 64],
  'features.denseblock1.denselayer6.concat': [56, 56, 256],
  'features.transition1.pool': [28, 28, 128],
  'features.denseblock2.denselayer12.concat': [28, 28, 512],
  'features.transition2.pool': [14, 14, 256],
  'features.denseblock3.denselayer24.concat': [14, 14, 1024],
  'features.transition3.pool': [7, 7, 512],
  'features.norm5': [7, 7, 1024],
};

describe('densenet121 at its default 224x224x3 input', () => {
  let model: LayersModel;
  beforeAll(() => {
    model = buildForCounting('densenet121');
  });
  afterAll(() => model.dispose());

  it(`has torchvision's ${figure(7_978_856)} trainable parameters`, () => {
    expect(summarizeModel(model).totals.trainableParams).toBe(7_978_856);
    expect(torchvisionCounts.densenet121?.trainable_params).toBe(7_978_856);
  });

  it("follows the paper's Table 1 sizes and outputs 1000 logits", () => {
    for (const [name, shape] of Object.entries(TABLE1_SIZES)) expect(layerShape(model, name), name).toEqual(shape);
    expect(outputShapes(model)).toEqual([[1000]]);
  });

  it("names its layers by torchvision's module paths, with a 7x7/2 stem and a padded 3x3/2 max pool", () => {
    expect(model.getLayer('features.conv0').getConfig()).toMatchObject({
      kernelSize: [7, 7],
      strides: [2, 2],
      padding: [3, 3],
      useBias: false,
    });
    expect(model.getLayer('features.pool0').getConfig()).toMatchObject({ kernelSize: [3, 3], strides: [2, 2], padding: 1 });
    expect(model.getLayer('features.denseblock1.denselayer1.conv1').getConfig()).toMatchObject({ filters: 128, kernelSize: [1, 1] });
    expect(model.getLayer('features.denseblock4.denselayer16.conv2').getConfig()).toMatchObject({ filters: 32, kernelSize: [3, 3] });
    expect(model.getLayer('features.transition1.conv').getConfig().filters).toBe(128);
    expect(model.getLayer('classifier').getConfig().units).toBe(1000);
  });

  it(`costs within 2% of torchvision's documented 2.83 G MACs`, () => {
    const macs = convAndDenseMacs(summarizeModel(model));
    expect(Math.abs(macs / 2.83e9 - 1)).toBeLessThan(0.02);
    expect(macs).toBe(torchvisionCounts.densenet121?.macs_224);
  });
});

describe.each([
  ['densenet169', 14_149_480, 3.36e9],
  ['densenet201', 20_013_928, 4.29e9],
  ['densenet161', 28_681_000, 7.73e9],
] as const)('%s', (name, params, macs) => {
  it(`has torchvision's trainable parameters (${figure(params)}) and costs within 2% of its documented MACs`, () => {
    const model = buildForCounting(name);
    const summary = summarizeModel(model);
    const totals = { trainableParams: summary.totals.trainableParams, macs: convAndDenseMacs(summary) };
    model.dispose();
    expect(totals.trainableParams).toBe(params);
    expect(torchvisionCounts[name]?.trainable_params).toBe(params);
    expect(Math.abs(totals.macs / macs - 1)).toBeLessThan(0.02);
    expect(totals.macs).toBe(torchvisionCounts[name]?.macs_224);
  });
});

it('densenet121 builds at 96x96x3 with 10 classes, pooling the 3x3 map globally', () => {
  const model = buildForCounting('densenet121', { inputShape: [96, 96, 3], numClasses: 10, widthMultiplier: 0.25 });
  expect(layerShape(model, 'features.norm5').slice(0, 2)).toEqual([3, 3]);
  expect(outputShapes(model)).toEqual([[10]]);
  model.dispose();
});

describe('densenet-bc-100 (L = 100, k = 12)', () => {
  let model: LayersModel;
  beforeAll(() => {
    model = buildForCounting('densenet-bc-100');
  });
  afterAll(() => model.dispose());

  it(`has ${figure(769_162)} trainable parameters (the paper's 0.8M), as torchvision's DenseNet with the paper's 3x3 stem counts`, () => {
    expect(summarizeModel(model).totals.trainableParams).toBe(769_162);
    expect(torchvisionCounts.densenet_bc_100_cifar?.trainable_params).toBe(769_162);
  });

  it('runs three blocks of 16 layers on 32, 16 and 8 pixels, 2k stem channels, compression 0.5', () => {
    expect(layerShape(model, 'conv1')).toEqual([32, 32, 24]);
    expect(layerShape(model, 'block1.layer16.concat')).toEqual([32, 32, 24 + 16 * 12]);
    expect(layerShape(model, 'transition1.pool')).toEqual([16, 16, 108]);
    expect(layerShape(model, 'block2.layer16.concat')).toEqual([16, 16, 108 + 192]);
    expect(layerShape(model, 'transition2.pool')).toEqual([8, 8, 150]);
    expect(layerShape(model, 'block3.layer16.concat')).toEqual([8, 8, 342]);
    expect(model.getLayer('block1.layer1.conv1').getConfig().filters).toBe(48);
    expect(outputShapes(model)).toEqual([[10]]);
  });

  it('builds at 64x64x1 with 100 classes, its last block on 16x16 maps', () => {
    const wide = buildForCounting('densenet-bc-100', { inputShape: [64, 64, 1], numClasses: 100, widthMultiplier: 0.5 });
    expect(layerShape(wide, 'block3.layer16.concat').slice(0, 2)).toEqual([16, 16]);
    expect(outputShapes(wide)).toEqual([[100]]);
    wide.dispose();
  });

  it("costs what torchvision's DenseNet with the same structure costs at 32x32", () => {
    expect(convAndDenseMacs(summarizeModel(model))).toBe(torchvisionCounts.densenet_bc_100_cifar?.macs_32);
  });
});
