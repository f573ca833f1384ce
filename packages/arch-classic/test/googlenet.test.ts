import { initBackend, summarizeModel } from '@convkit/core';
import { layerShape, outputShapes } from '@convkit/core/testing';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForCounting, figure, registry, torchvisionCounts } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Stage outputs at 224x224: the "output size" column of the paper's Table 1. */
const TABLE1_SIZES = {
  pool1: [56, 56, 64],
  pool2: [28, 28, 192],
  'inception3a.concat': [28, 28, 256],
  'inception3b.concat': [28, 28, 480],
  pool3: [14, 14, 480],
  'inception4a.concat': [14, 14, 512],
  'inception4d.concat': [14, 14, 528],
  'inception4e.concat': [14, 14, 832],
  pool4: [7, 7, 832],
  'inception5b.concat': [7, 7, 1024],
};

describe('googlenet-tv at its default 224x224x3 input', () => {
  let model: LayersModel;
  let withAux: LayersModel;
  beforeAll(() => {
    model = buildForCounting('googlenet-tv');
    withAux = buildForCounting('googlenet-tv', { auxLogits: true });
  });
  afterAll(() => {
    model.dispose();
    withAux.dispose();
  });

  it(`has torchvision's ${figure(6_624_904)} trainable parameters without the auxiliary heads`, () => {
    expect(summarizeModel(model).totals.trainableParams).toBe(6_624_904);
    expect(torchvisionCounts.googlenet?.trainable_params).toBe(6_624_904);
  });

  it(`has torchvision's ${figure(13_004_888)} with them (auxLogits: true)`, () => {
    expect(summarizeModel(withAux).totals.trainableParams).toBe(13_004_888);
    expect(torchvisionCounts.googlenet_with_aux?.trainable_params).toBe(13_004_888);
  });

  it("follows the paper's Table 1 sizes and outputs 1000 logits, plus two auxiliary ones only with auxLogits", () => {
    for (const [name, shape] of Object.entries(TABLE1_SIZES)) expect(layerShape(model, name), name).toEqual(shape);
    expect(outputShapes(model)).toEqual([[1000]]);
    expect(outputShapes(withAux)).toEqual([[1000], [1000], [1000]]);
    expect(layerShape(withAux, 'aux1.pool')).toEqual([4, 4, 512]);
    expect(layerShape(withAux, 'aux2.pool')).toEqual([4, 4, 528]);
  });

  it('costs within 2% of the published 1.5 G MACs, as torchvision counts them', () => {
    const { macs } = summarizeModel(model).totals;
    expect(Math.abs(macs / 1.5e9 - 1)).toBeLessThan(0.02);
    expect(Math.abs(macs / torchvisionCounts.googlenet!.macs_224 - 1)).toBeLessThan(0.02);
  });

  it("uses bias-free convolutions with batch norm (eps 1e-3) and torchvision's 3x3 kernel in the 5x5 branch", () => {
    expect(model.getLayer('inception3a.5x5').getConfig()).toMatchObject({ useBias: false, kernelSize: [3, 3] });
    expect(model.getLayer('inception3a.5x5.bn').getConfig().epsilon).toBe(1e-3);
    expect(model.getLayer('pool4').getConfig()).toMatchObject({ kernelSize: [2, 2], strides: [2, 2], ceilMode: true });
    expect(model.getLayer('dropout').getConfig().rate).toBe(0.2);
  });
});

describe('googlenet (the paper) at its default 224x224x3 input', () => {
  let mainOnly: LayersModel;
  let model: LayersModel;
  beforeAll(() => {
    mainOnly = buildForCounting('googlenet');
    model = buildForCounting('googlenet', { auxLogits: true });
  });
  afterAll(() => {
    mainOnly.dispose();
    model.dispose();
  });

  it(`has ${figure(6_998_552)} parameters without the auxiliary heads and ${figure(13_378_280)} with them`, () => {
    expect(summarizeModel(mainOnly).totals.trainableParams).toBe(6_998_552);
    expect(summarizeModel(model).totals.trainableParams).toBe(13_378_280);
  });

  it("follows Table 1's sizes with real 5x5 convolutions, LRN in the stem and dropout 0.4", () => {
    for (const [name, shape] of Object.entries(TABLE1_SIZES)) expect(layerShape(model, name), name).toEqual(shape);
    expect(model.getLayer('inception3a.5x5').getConfig()).toMatchObject({ useBias: true, kernelSize: [5, 5], activation: 'relu' });
    expect(model.getLayer('lrn1').getClassName()).toBe('convkit.LocalResponseNorm');
    expect(model.getLayer('lrn2').getClassName()).toBe('convkit.LocalResponseNorm');
    expect(model.getLayer('dropout').getConfig().rate).toBe(0.4);
  });

  it('has auxiliary heads of avg pool 5x5/3, 1x1 conv 128, FC 1024, dropout 0.7 and logits on 4a and 4d', () => {
    expect(model.getLayer('aux1.pool').getConfig()).toMatchObject({ poolSize: [5, 5], strides: [3, 3] });
    expect(layerShape(model, 'aux1.pool')).toEqual([4, 4, 512]);
    expect(layerShape(model, 'aux2.pool')).toEqual([4, 4, 528]);
    expect(layerShape(model, 'aux1.conv')).toEqual([4, 4, 128]);
    expect(layerShape(model, 'aux1.fc1')).toEqual([1024]);
    expect(model.getLayer('aux1.fc1.dropout').getConfig().rate).toBe(0.7);
    expect(outputShapes(model)).toEqual([[1000], [1000], [1000]]);
  });

  it("costs within 7% of the paper's 1.5 G multiply-adds (its real 5x5 branches cost more than torchvision's)", () => {
    expect(Math.abs(summarizeModel(mainOnly).totals.macs / 1.5e9 - 1)).toBeLessThan(0.07);
  });
});

it('googlenet builds at 160x160x3 with 10 classes and auxiliary heads', () => {
  const model = buildForCounting('googlenet', { inputShape: [160, 160, 3], numClasses: 10, auxLogits: true });
  expect(layerShape(model, 'inception5b.concat')).toEqual([5, 5, 1024]);
  expect(layerShape(model, 'aux1.pool')).toEqual([2, 2, 512]);
  expect(outputShapes(model)).toEqual([[10], [10], [10]]);
  model.dispose();
});

it('googlenet-tv builds at 96x96x3, its auxiliary heads still pooling adaptively to 4x4', () => {
  const model = buildForCounting('googlenet-tv', { inputShape: [96, 96, 3], numClasses: 10, auxLogits: true });
  expect(layerShape(model, 'inception4a.concat')).toEqual([6, 6, 512]);
  expect(layerShape(model, 'aux1.pool')).toEqual([4, 4, 512]);
  expect(outputShapes(model)).toEqual([[10], [10], [10]]);
  model.dispose();
});

describe('googlenet-cifar', () => {
  it(`has ${figure(5_871_914)} parameters and runs stages 3, 4 and 5 at 32, 16 and 8 pixels`, () => {
    const model = buildForCounting('googlenet-cifar');
    expect(summarizeModel(model).totals.trainableParams).toBe(5_871_914);
    expect(layerShape(model, 'conv1')).toEqual([32, 32, 192]);
    expect(layerShape(model, 'inception3b.concat')).toEqual([32, 32, 480]);
    expect(layerShape(model, 'inception4e.concat')).toEqual([16, 16, 832]);
    expect(layerShape(model, 'inception5b.concat')).toEqual([8, 8, 1024]);
    expect(outputShapes(model)).toEqual([[10]]);
    model.dispose();
  });

  it('builds at 64x64x3 without batch norm, its auxiliary heads reading 32x32 maps', () => {
    const model = buildForCounting('googlenet-cifar', { inputShape: [64, 64, 3], numClasses: 100, batchNorm: false, auxLogits: true });
    expect(model.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
    expect(layerShape(model, 'aux1.pool')).toEqual([10, 10, 512]);
    expect(outputShapes(model)).toEqual([[100], [100], [100]]);
    model.dispose();
  });
});

it("googlenet's pools round up like PyTorch's ceil_mode, so an odd input gives torchvision's map sizes", () => {
  const model = buildForCounting('googlenet-tv', { inputShape: [225, 225, 3], widthMultiplier: 1 / 16 });
  // conv1 113, then ceil((n - 3) / 2) + 1 per pool: 56, 28, 14, and pool4 (2x2) 7; TF 'same' would give 57, 29, 15, 8.
  expect(layerShape(model, 'pool1').slice(0, 2)).toEqual([56, 56]);
  expect(layerShape(model, 'inception5b.concat').slice(0, 2)).toEqual([7, 7]);
  model.dispose();
});

it('a GoogLeNet input too small for its pools, or for the 5x5 auxiliary pool at 4a, is a ConvkitError naming the minimum', () => {
  expect(() => registry.create('googlenet', { inputShape: [78, 78, 3], auxLogits: true })).toThrow(
    expect.objectContaining({ name: 'ConvkitError', code: 'input-too-small', message: expect.stringContaining('at least 79x79') }),
  );
  const smallest = buildForCounting('googlenet', { inputShape: [79, 79, 3], auxLogits: true, widthMultiplier: 1 / 16 });
  expect(layerShape(smallest, 'inception4a.concat').slice(0, 2)).toEqual([5, 5]);
  expect(layerShape(smallest, 'aux1.pool').slice(0, 2)).toEqual([1, 1]);
  smallest.dispose();
  expect(() => registry.create('googlenet', { inputShape: [46, 46, 3] })).toThrow(/at least 47x47 pixels \(its stride-2 max pools/);
  expect(() => registry.create('googlenet-tv', { inputShape: [30, 30, 3] })).toThrow(/at least 31x31/);
  buildForCounting('googlenet-tv', { inputShape: [31, 31, 3], widthMultiplier: 1 / 16 }).dispose();
  expect(() => registry.create('googlenet-cifar', { inputShape: [9, 9, 3], auxLogits: true })).toThrow(/at least 10x10/);
});
