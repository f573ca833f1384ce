import { initBackend, summarizeModel } from '@convkit/core';
import { layerShape, outputShapes } from '@convkit/core/testing';
import { type LayersModel, layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convAndDenseMacs, torchvisionCounts } from './support/dense-mobile-counts.js';
import { buildForCounting, figure } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('mobilenet-v2 at its default 224x224x3 input', () => {
  let model: LayersModel;
  beforeAll(() => {
    model = buildForCounting('mobilenet-v2');
  });
  afterAll(() => model.dispose());

  it(`has torchvision's ${figure(3_504_872)} trainable parameters`, () => {
    expect(summarizeModel(model).totals.trainableParams).toBe(3_504_872);
    expect(torchvisionCounts.mobilenet_v2?.trainable_params).toBe(3_504_872);
  });

  it("follows Table 2's sizes: 112 after the stem, 7x7x320 after the last bottleneck, 1280 before the classifier", () => {
    expect(layerShape(model, 'features.0.2')).toEqual([112, 112, 32]);
    expect(layerShape(model, 'features.1.conv.2')).toEqual([112, 112, 16]);
    expect(layerShape(model, 'features.3.add')).toEqual([56, 56, 24]);
    expect(layerShape(model, 'features.13.add')).toEqual([14, 14, 96]);
    expect(layerShape(model, 'features.17.conv.3')).toEqual([7, 7, 320]);
    expect(layerShape(model, 'features.18.2')).toEqual([7, 7, 1280]);
    expect(outputShapes(model)).toEqual([[1000]]);
  });

  it("names layers by torchvision's module paths and adds residuals only at stride 1 with unchanged channels", () => {
    expect(model.getLayer('features.3.conv.1.0').getClassName()).toBe('DepthwiseConv2D');
    expect(model.getLayer('features.4.conv.1.0').getConfig()).toMatchObject({ strides: [2, 2], padding: [1, 1] });
    const adds = model.layers.filter((l) => l.getClassName() === 'Add').map((l) => l.name);
    expect(adds).toEqual([3, 5, 6, 8, 9, 10, 12, 13, 15, 16].map((i) => `features.${i}.add`));
    expect(model.getLayer('classifier.0').getConfig().rate).toBe(0.2);
    expect(model.getLayer('classifier.1').getConfig().units).toBe(1000);
  });

  it("costs within 2% of torchvision's documented 0.30 G MACs", () => {
    const macs = convAndDenseMacs(summarizeModel(model));
    expect(Math.abs(macs / 0.3e9 - 1)).toBeLessThan(0.02);
    expect(macs).toBe(torchvisionCounts.mobilenet_v2?.macs_224);
  });
});

describe.each([
  [0.5, 'mobilenet_v2_0.5'],
  [1.4, 'mobilenet_v2_1.4'],
] as const)('mobilenet-v2 at width multiplier %s', (widthMultiplier, torchName) => {
  it("makes every width divisible by 8 as torchvision does, so the counts equal torchvision's", () => {
    const model = buildForCounting('mobilenet-v2', { widthMultiplier });
    const summary = summarizeModel(model);
    const totals = { trainableParams: summary.totals.trainableParams, macs: convAndDenseMacs(summary) };
    const last = layerShape(model, 'features.18.2')[2];
    model.dispose();
    expect(totals.trainableParams).toBe(torchvisionCounts[torchName]?.trainable_params);
    expect(totals.macs).toBe(torchvisionCounts[torchName]?.macs_224);
    expect(last).toBe(widthMultiplier > 1 ? 1792 : 1280);
  });
});

describe('mobilenet-v1 at its default 224x224x3 input', () => {
  let model: LayersModel;
  beforeAll(() => {
    model = buildForCounting('mobilenet-v1');
  });
  afterAll(() => model.dispose());

  it(`has ${figure(4_231_976)} trainable parameters (the paper's 4.2M) and costs within 2% of its 569 M mult-adds`, () => {
    const summary = summarizeModel(model);
    const { trainableParams } = summary.totals;
    const macs = convAndDenseMacs(summary);
    expect(trainableParams).toBe(4_231_976);
    expect(Math.abs(macs / 569e6 - 1)).toBeLessThan(0.02);
  });

  it("follows Table 1: 112 after the stem, 7x7x1024 after the thirteenth unit, the table's last 's2' at stride 1", () => {
    expect(layerShape(model, 'conv1.act')).toEqual([112, 112, 32]);
    expect(layerShape(model, 'block1.pw.act')).toEqual([112, 112, 64]);
    expect(layerShape(model, 'block6.pw.act')).toEqual([14, 14, 512]);
    expect(layerShape(model, 'block12.pw.act')).toEqual([7, 7, 1024]);
    expect(layerShape(model, 'block13.pw.act')).toEqual([7, 7, 1024]);
    expect(outputShapes(model)).toEqual([[1000]]);
  });
});

describe.each([
  // alpha, rho (as the input size), the paper's Table 6/7 millions of mult-adds and of parameters
  [0.75, 224, 325, 2.6],
  [0.5, 224, 149, 1.3],
  [0.25, 224, 41, 0.5],
  [1, 192, 418, 4.2],
  [1, 160, 290, 4.2],
  [1, 128, 186, 4.2],
] as const)('mobilenet-v1 at alpha %s and %s pixels', (widthMultiplier, size, paperMacs, paperParams) => {
  it("costs the paper's Table 6/7 figures within 2% (mult-adds) and to its rounding (parameters)", () => {
    const model = buildForCounting('mobilenet-v1', { widthMultiplier, inputShape: [size, size, 3] });
    const summary = summarizeModel(model);
    const { trainableParams } = summary.totals;
    const macs = convAndDenseMacs(summary);
    model.dispose();
    expect(Math.abs(macs / 1e6 / paperMacs - 1)).toBeLessThan(0.02);
    expect(Math.round(trainableParams / 1e5) / 10).toBe(paperParams);
  });
});

describe.each([
  ['mobilenet-v1-cifar', 3_217_226, 'block13.pw.act', [2, 2, 1024]],
  ['mobilenet-v2-cifar', 2_236_682, 'conv2.act', [2, 2, 1280]],
] as const)('%s', (name, params, last, shape) => {
  it(`has a stride-1 stem, so 32x32 ends at 2x2, and ${figure(params)} parameters for 10 classes`, () => {
    const model = buildForCounting(name);
    expect(layerShape(model, 'conv1.act').slice(0, 2)).toEqual([32, 32]);
    expect(layerShape(model, last)).toEqual(shape);
    expect(summarizeModel(model).totals.trainableParams).toBe(params);
    expect(outputShapes(model)).toEqual([[10]]);
    model.dispose();
  });

  it('builds at 64x64x3 with 100 classes', () => {
    const model = buildForCounting(name, { inputShape: [64, 64, 3], numClasses: 100, widthMultiplier: 0.25 });
    expect(layerShape(model, last).slice(0, 2)).toEqual([4, 4]);
    expect(outputShapes(model)).toEqual([[100]]);
    model.dispose();
  });
});

describe('mobilenet-v2-cifar attention option', () => {
  it("calls the slot once per block with the block's hidden width, between its depthwise step and projection", () => {
    const seen: [number, string][] = [];
    const slot = (channels: number, name: string) => {
      seen.push([channels, name]);
      const gate = layers.activation({ name, activation: 'sigmoid' });
      return (x: SymbolicTensor) =>
        layers.multiply({ name: `${name}.scale` }).apply([x, gate.apply(x) as SymbolicTensor]) as SymbolicTensor;
    };
    const model = buildForCounting('mobilenet-v2-cifar', { widthMultiplier: 0.25, attention: slot });
    expect(seen).toHaveLength(17);
    // Row 1 (t = 1) keeps the stem's 8 channels; row 2's first block expands them 6 times.
    expect(seen.slice(0, 2)).toEqual([
      [8, 'stage1.block1.attn'],
      [48, 'stage2.block1.attn'],
    ]);
    const inbound = (name: string) => model.getLayer(name).inboundNodes[0]?.inboundLayers.map((l) => l.name);
    expect(inbound('stage2.block1.attn')).toEqual(['stage2.block1.dw.act']);
    expect(inbound('stage2.block1.project.conv')).toEqual(['stage2.block1.attn.scale']);
    model.dispose();
  });

  it('builds no attention layers by default (attention: null)', () => {
    const model = buildForCounting('mobilenet-v2-cifar', { widthMultiplier: 0.25 });
    expect(model.layers.some((l) => l.name.includes('.attn'))).toBe(false);
    model.dispose();
  });
});
