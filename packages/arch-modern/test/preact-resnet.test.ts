import { initBackend, summarizeModel } from '@convkit/core';
import { layerShape, outputShapes } from '@convkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildForCounting, figure, paperCounts } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Pre-activation networks, paper_counts.py's names for them, the papers' parameter counts in millions and the output before the head. */
const PREACT = [
  ['preact-resnet18', 'preact_resnet18', 11.7, [7, 7, 512]],
  ['preact-resnet164', 'preact_resnet164', 1.7, [8, 8, 256]],
  ['preact-resnet1001', 'preact_resnet1001', 10.2, [8, 8, 256]],
  ['wrn-28-10', 'wrn_28_10', 36.5, [8, 8, 640]],
] as const;

describe.each(PREACT)('%s', (name, fixture, millions, features) => {
  const reference = paperCounts[fixture]!;
  it(`has the ${figure(reference.trainable_params)} parameters of an independent PyTorch implementation (paper: ${millions}M), ends in BN-ReLU at ${features.join('x')}`, () => {
    const model = buildForCounting(name);
    const { totals } = summarizeModel(model);
    expect(totals.trainableParams).toBe(reference.trainable_params);
    expect(Math.abs(reference.trainable_params / 1e6 / millions - 1)).toBeLessThan(0.02);
    expect(totals.macs / reference.macs - 1).toBeGreaterThan(0);
    expect(totals.macs / reference.macs - 1).toBeLessThan(0.04);
    expect(layerShape(model, 'head.relu')).toEqual([...features]);
    expect(model.layers.slice(-4).map((l) => l.name)).toEqual(['head.bn', 'head.relu', 'avgpool', 'fc']);
    model.dispose();
  });
});

describe('pre-activation blocks', () => {
  it('order each unit BN, ReLU, conv; project the pre-activated input where the shape changes; add nothing after', () => {
    const model = buildForCounting('wrn-28-10', { widthMultiplier: 0.1, dropout: 0.3 });
    const block = model.layers.filter((l) => l.name.startsWith('stage2.block1.')).map((l) => l.name);
    expect(block).toEqual(
      expect.arrayContaining([
        'stage2.block1.bn1',
        'stage2.block1.relu1',
        'stage2.block1.conv1',
        'stage2.block1.dropout',
        'stage2.block1.conv2',
        'stage2.block1.shortcut.conv',
        'stage2.block1.add',
      ]),
    );
    expect(block).not.toContain('stage2.block1.act');
    expect(model.getLayer('stage2.block1.shortcut.conv').inboundNodes[0]!.inboundLayers[0]!.name).toBe('stage2.block1.relu1');
    expect(model.getLayer('stage2.block2.add').inboundNodes[0]!.inboundLayers.map((l) => l.name)).toEqual([
      'stage2.block1.add',
      'stage2.block2.conv2',
    ]);
    expect(layerShape(model, 'stage3.block4.add')).toEqual([8, 8, 64]);
    model.dispose();
  });

  it("builds preact-resnet18 at 128x128 with 10 classes; the stem BN-ReLU is the first block's pre-activation", () => {
    const model = buildForCounting('preact-resnet18', { inputShape: [128, 128, 3], numClasses: 10 });
    expect(outputShapes(model)).toEqual([[10]]);
    expect(layerShape(model, 'head.relu')).toEqual([4, 4, 512]);
    const names = model.layers.map((l) => l.name);
    expect(names).not.toContain('stage1.block1.bn1');
    expect(names).toContain('stage1.block2.bn1');
    model.dispose();
  });
});
