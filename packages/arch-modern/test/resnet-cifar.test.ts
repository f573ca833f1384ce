import { initBackend, type ModelSummary, summarizeModel } from '@convkit/core';
import { layerShape, outputShapes } from '@convkit/core/testing';
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForCounting, figure, paperCounts, registry } from './support/registry.js';
import { outputsBeforeAndAfterSaving } from './support/round-trip.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** The paper's depths, their n and Table 6's rounded parameter counts in millions. */
const DEPTHS = [
  ['resnet20', 3, 0.27],
  ['resnet32', 5, 0.46],
  ['resnet44', 7, 0.66],
  ['resnet56', 9, 0.85],
  ['resnet110', 18, 1.7],
] as const;

describe.each(DEPTHS)('%s', (name, n, paperMillions) => {
  let model: LayersModel;
  let summary: ModelSummary;
  const optionA = paperCounts[`${name}_A`]!;
  const optionB = paperCounts[`${name}_B`]!;
  beforeAll(() => {
    model = buildForCounting(name);
    summary = summarizeModel(model);
  });
  afterAll(() => model.dispose());

  it(`has ${6 * n + 2} weighted layers: ${6 * n + 1} 3x3 convolutions and the fc, no shortcut weights (option A)`, () => {
    const convs = model.layers.filter((l) => /\.conv\d?$/.test(l.name));
    expect(convs.length).toBe(6 * n + 1);
    expect(convs.every((l) => (l.getWeights()[0]?.shape ?? [])[0] === 3)).toBe(true);
    expect(model.layers.filter((l) => l.name.endsWith('.shortcut')).map((l) => [l.name, l.countParams()])).toEqual([
      ['stage2.block1.shortcut', 0],
      ['stage3.block1.shortcut', 0],
    ]);
  });

  it(`has the ${figure(optionA.trainable_params)} trainable parameters of an independent PyTorch option-A ResNet (paper: ${paperMillions}M)`, () => {
    expect(summary.totals.trainableParams).toBe(optionA.trainable_params);
    expect(registry.get(name).value.reference?.params).toBe(optionA.trainable_params);
    expect(Math.abs(optionA.trainable_params / 1e6 - paperMillions) / paperMillions).toBeLessThan(0.02);
  });

  it(`costs PyTorch's ${figure(optionA.macs)} convolution and fc MACs plus under 3% for batch norm, ReLU and adds`, () => {
    expect(summary.totals.macs).toBeGreaterThan(optionA.macs);
    expect(summary.totals.macs / optionA.macs - 1).toBeLessThan(0.03);
  });

  it(`with option B shortcuts has ${figure(optionB.trainable_params)} parameters: two 1x1 projections with batch norm`, () => {
    const b = buildForCounting(name, { shortcut: 'B' });
    expect(summarizeModel(b).totals.trainableParams).toBe(optionB.trainable_params);
    expect(optionB.trainable_params - optionA.trainable_params).toBe(16 * 32 + 2 * 32 + 32 * 64 + 2 * 64);
    expect(b.getLayer('stage3.block1.shortcut.conv').outputShape).toEqual([null, 8, 8, 64]);
    b.dispose();
  });
});

describe('resnet20', () => {
  it('maps 32x32x3 through 32x32x16, 16x16x32 and 8x8x64 to 10 logits', () => {
    const model = buildForCounting('resnet20');
    expect(layerShape(model, 'stem.relu')).toEqual([32, 32, 16]);
    expect(layerShape(model, 'stage1.block3.act')).toEqual([32, 32, 16]);
    expect(layerShape(model, 'stage2.block1.shortcut')).toEqual([16, 16, 32]);
    expect(layerShape(model, 'stage3.block3.act')).toEqual([8, 8, 64]);
    expect(outputShapes(model)).toEqual([[10]]);
    model.dispose();
  });

  it('builds at Fashion-MNIST 28x28x1, ending at 7x7x64, with parameters changed only in the stem', () => {
    const model = buildForCounting('resnet20', { inputShape: [28, 28, 1] });
    expect(layerShape(model, 'stage3.block3.act')).toEqual([7, 7, 64]);
    expect(outputShapes(model)).toEqual([[10]]);
    expect(summarizeModel(model).totals.trainableParams).toBe(paperCounts.resnet20_A!.trainable_params - 2 * 9 * 16);
    model.dispose();
  });

  it('names its layers by the paper structure: stem, stage<s>.block<b>.conv|bn|relu<i>, add, avgpool, fc', () => {
    const model = buildForCounting('resnet20');
    const names = model.layers.map((l) => l.name);
    expect(names.slice(0, 4)).toEqual(['input', 'stem.conv', 'stem.bn', 'stem.relu']);
    expect(names.filter((name) => name.startsWith('stage2.block1.')).sort()).toEqual(
      [
        'stage2.block1.conv1',
        'stage2.block1.bn1',
        'stage2.block1.relu1',
        'stage2.block1.conv2',
        'stage2.block1.bn2',
        'stage2.block1.shortcut',
        'stage2.block1.add',
        'stage2.block1.act',
      ].sort(),
    );
    expect(names.slice(-2)).toEqual(['avgpool', 'fc']);
    model.dispose();
  });

  it('zeroInitResidual starts every second batch norm at gamma = 0, and dropPath adds a drop-path layer to every block but the first', () => {
    const model = registry.create('resnet20', { widthMultiplier: 0.25, zeroInitResidual: true, dropPath: 0.1 });
    const gammas = (name: string) => Array.from((model.getLayer(name).getWeights()[0] as tf.Tensor).dataSync());
    expect(new Set(gammas('stage1.block1.bn2'))).toEqual(new Set([0]));
    expect(new Set(gammas('stage1.block1.bn1'))).toEqual(new Set([1]));
    const dropPaths = model.layers.filter((l) => l.name.endsWith('.drop_path')).map((l) => l.name);
    expect(dropPaths.length).toBe(8);
    expect(dropPaths[0]).toBe('stage1.block2.drop_path');
    model.dispose();
  });

  it('saves and loads with identical outputs once the @convkit/layers plugin has registered ZeroPadShortcut', async () => {
    const model = registry.create('resnet20', { widthMultiplier: 0.25, inputShape: [16, 16, 3] });
    const [saved, loaded] = await outputsBeforeAndAfterSaving(model);
    model.dispose();
    expect(loaded).toEqual(saved);
  });

  it('refuses an input below 4x4 with a ConvkitError naming the minimum', () => {
    expect(() => registry.create('resnet20', { inputShape: [3, 3, 3] })).toThrow(/resnet20 needs an input of at least 4x4/);
  });
});

describe('shortcut none: the plain twins of He et al. 2016 (Figure 6, left)', () => {
  it.each(['resnet20', 'resnet56'] as const)('plain %s has no add and exactly the parameters of option A', (name) => {
    const plain = buildForCounting(name, { shortcut: 'none' });
    const residual = buildForCounting(name);
    expect(plain.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(0);
    expect(residual.layers.filter((l) => l.getClassName() === 'Add').length).toBeGreaterThan(0);
    expect(plain.countParams()).toBe(residual.countParams());
    // Each block still ends in its ReLU, so the plain network is conv-BN-ReLU all the way down.
    expect(plain.getLayer('stage3.block3.act').getClassName()).toBe('convkit.Activation');
    plain.dispose();
    residual.dispose();
  });
});
