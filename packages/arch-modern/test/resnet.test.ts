import { initBackend, type ModelSummary, summarizeModel } from '@convkit/core';
import { layerShape, outputShapes } from '@convkit/core/testing';
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForCounting, figure, paperCounts, registry, torchvisionCounts } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Registered torchvision forms and torchvision's names for them. */
const TORCHVISION = [
  ['resnet18', 'resnet18'],
  ['resnet34', 'resnet34'],
  ['resnet50', 'resnet50'],
  ['resnet101', 'resnet101'],
  ['resnet152', 'resnet152'],
  ['wide-resnet50-2', 'wide_resnet50_2'],
  ['wide-resnet101-2', 'wide_resnet101_2'],
  ['resnext50-32x4d', 'resnext50_32x4d'],
  ['resnext101-32x8d', 'resnext101_32x8d'],
] as const;

/** Layers that own weights, in model order. */
const weightedLayers = (model: LayersModel) => model.layers.filter((l) => l.weights.length > 0).map((l) => l.name);

describe.each(TORCHVISION)('%s at 224x224x3', (name, torchvisionName) => {
  let model: LayersModel;
  let summary: ModelSummary;
  const reference = torchvisionCounts[torchvisionName]!;
  beforeAll(() => {
    model = buildForCounting(name);
    summary = summarizeModel(model);
  });
  afterAll(() => model.dispose());

  it(`has torchvision 0.14's ${figure(reference.trainable_params)} trainable parameters`, () => {
    expect(summary.totals.trainableParams).toBe(reference.trainable_params);
    expect(registry.get(name).value.reference?.params).toBe(reference.trainable_params);
  });

  it("costs within 2% of torchvision's documented GFLOPS, and its conv + linear MACs plus under 1% for BN, ReLU, adds and pools", () => {
    const documented = registry.get(name).value.reference?.macs as number;
    expect(Math.abs(summary.totals.macs / documented - 1)).toBeLessThan(0.02);
    expect(summary.totals.macs).toBeGreaterThan(reference.macs);
    expect(summary.totals.macs / reference.macs - 1).toBeLessThan(0.01);
  });

  it('names its weighted layers by torchvision module paths, so a state_dict maps name for name', () => {
    if (reference.weighted_modules) expect(weightedLayers(model).sort()).toEqual([...reference.weighted_modules].sort());
    expect(weightedLayers(model)).toEqual(
      expect.arrayContaining(['conv1', 'bn1', 'layer1.0.conv1', 'layer2.0.downsample.0', 'layer4.1.bn2', 'fc']),
    );
  });

  it('ends layer4 at 7x7 and outputs 1000 logits', () => {
    const last = model.getLayer('avgpool').inboundNodes[0]!.inboundLayers[0]!;
    expect((last.outputShape as number[]).slice(1, 3)).toEqual([7, 7]);
    expect(outputShapes(model)).toEqual([[1000]]);
  });
});

describe('resnet50', () => {
  let model: LayersModel;
  beforeAll(() => {
    model = buildForCounting('resnet50');
  });
  afterAll(() => model.dispose());

  it('puts the stride of a downsampling bottleneck on its 3x3 convolution (torchvision v1.5) and on the projection', () => {
    expect(layerShape(model, 'maxpool')).toEqual([56, 56, 64]);
    expect(layerShape(model, 'layer2.0.conv1')).toEqual([56, 56, 128]);
    expect(layerShape(model, 'layer2.0.conv2')).toEqual([28, 28, 128]);
    expect(layerShape(model, 'layer2.0.conv3')).toEqual([28, 28, 512]);
    expect(layerShape(model, 'layer2.0.downsample.0')).toEqual([28, 28, 512]);
  });

  it('projects the first block of layer1 (64 -> 256 channels) at stride 1 and no other non-first block', () => {
    const downsamples = model.layers.filter((l) => l.name.endsWith('.downsample.0')).map((l) => l.name);
    expect(downsamples).toEqual(['layer1.0.downsample.0', 'layer2.0.downsample.0', 'layer3.0.downsample.0', 'layer4.0.downsample.0']);
  });

  it('builds at 160x160 with 10 classes: 5x5 before the pool, parameters changed only in fc', () => {
    const small = buildForCounting('resnet50', { inputShape: [160, 160, 3], numClasses: 10 });
    expect(layerShape(small, 'layer4.2.conv3')).toEqual([5, 5, 2048]);
    expect(outputShapes(small)).toEqual([[10]]);
    expect(summarizeModel(small).totals.trainableParams).toBe(torchvisionCounts.resnet50!.trainable_params - 2049 * 990);
    small.dispose();
  });

  it('zeroInitResidual starts each bottleneck bn3 at gamma = 0; dropPath adds drop-path layers', () => {
    const thin = registry.create('resnet50', { widthMultiplier: 1 / 16, inputShape: [32, 32, 3], zeroInitResidual: true, dropPath: 0.2 });
    const gamma = (layer: string) => [...new Set((thin.getLayer(layer).getWeights()[0] as tf.Tensor).dataSync())];
    expect([gamma('layer3.4.bn3'), gamma('layer3.4.bn2')]).toEqual([[0], [1]]);
    expect(thin.layers.filter((l) => l.name.endsWith('.drop_path')).length).toBe(15);
    thin.dispose();
  });
});

describe('resnext50-32x4d', () => {
  it('has grouped 3x3 convolutions: 32 groups of 4 channels in layer1, 32 of 32 in layer4', () => {
    const model = buildForCounting('resnext50-32x4d');
    const conv = (name: string) => model.getLayer(name) as unknown as { groups: number; getWeights(): tf.Tensor[] };
    expect(conv('layer1.0.conv2').groups).toBe(32);
    expect(conv('layer1.0.conv2').getWeights()[0]!.shape).toEqual([3, 3, 4, 128]);
    expect(conv('layer4.0.conv2').getWeights()[0]!.shape).toEqual([3, 3, 32, 1024]);
    model.dispose();
  });

  it('keeps 32 groups under a width multiplier, each group narrower', () => {
    const model = buildForCounting('resnext50-32x4d', { widthMultiplier: 0.25, inputShape: [32, 32, 3] });
    expect((model.getLayer('layer1.0.conv2') as unknown as { groups: number }).groups).toBe(32);
    expect(layerShape(model, 'layer1.0.conv2')).toEqual([8, 8, 32]);
    model.dispose();
  });
});

describe('resnext29-8x64d (CIFAR)', () => {
  it(`has the ${figure(paperCounts.resnext29_8x64d!.trainable_params)} parameters of an independent PyTorch ResNeXt-29 (paper: 34.4M)`, () => {
    const model = buildForCounting('resnext29-8x64d');
    const { totals } = summarizeModel(model);
    expect(totals.trainableParams).toBe(paperCounts.resnext29_8x64d!.trainable_params);
    expect(totals.macs / paperCounts.resnext29_8x64d!.macs - 1).toBeLessThan(0.01);
    expect(layerShape(model, 'stage1.block1.conv2')).toEqual([32, 32, 512]);
    expect(layerShape(model, 'stage3.block3.act')).toEqual([8, 8, 1024]);
    expect(model.layers.map((l) => l.name)).toContain('stage2.block1.shortcut.conv');
    model.dispose();
  });
});
