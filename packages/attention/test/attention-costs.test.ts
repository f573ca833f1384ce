import { plugin as modern } from '@convkit/arch-modern';
import { Registry, summarizeArchitecture } from '@convkit/core';
import { plugin as layersPlugin } from '@convkit/layers';
import { describe, expect, it } from 'vitest';
import { attentionCosts } from '../src/attention-costs.js';
import { plugin } from '../src/plugin.js';
import './support/setup.js';

const registry = new Registry().use(layersPlugin).use(modern).use(plugin);
const costs = (name: string) => attentionCosts(summarizeArchitecture(registry, name));
const percent = (fraction: number, digits: number) => Number((100 * fraction).toPrecision(digits));

/** ResNet-20's three stages at 32x32 input: channels C and map size H = W, three blocks each. */
const STAGES = [
  { C: 16, H: 32 },
  { C: 32, H: 16 },
  { C: 64, H: 8 },
];
const overStages = (cost: (C: number, HW: number) => number) => STAGES.reduce((sum, { C, H }) => sum + 3 * cost(C, H * H), 0);

describe('attentionCosts', () => {
  it("counts SE-ResNet-20's nine SE modules by hand: 5,784 parameters, 2.1% of the network, +0.43% MACs over ResNet-20", () => {
    const se = costs('se-resnet20');
    expect(se.modules.map((m) => [m.module, m.kind])).toEqual(
      [1, 2, 3].flatMap((s) => [1, 2, 3].map((b) => [`stage${s}.block${b}.attn`, 'se'])),
    );
    // C' = 8 throughout (16/16, 32/16, 64/16 rounded up to timm's divisor 8): fc1 CC' + C', fc2 C'C + C.
    const params = overStages((C) => 2 * C * 8 + 8 + C);
    // pool and scale one op per element (HWC each), the two 1x1 convolutions on 1x1 maps CC' each.
    const macs = overStages((C, HW) => 2 * HW * C + 2 * C * 8);
    expect(params).toBe(5_784);
    expect(se.trainableParams.total).toBe(params);
    expect(se.params.total).toBe(params);
    expect(se.macs.total).toBe(macs);
    expect(percent(se.trainableParams.share, 2)).toBe(2.1);
    expect(percent(se.macs.added, 2)).toBe(0.43);
    // what the modules add is what se-resnet20 has over resnet20
    const plain = summarizeArchitecture(registry, 'resnet20').totals;
    expect(se.macs.added).toBeCloseTo(macs / plain.macs, 12);
    expect(se.trainableParams.added).toBeCloseTo(params / plain.trainableParams, 12);
  });

  it("counts CBAM-ResNet-20's nine CBAM modules by hand: 3,273 trainable parameters, +2.2% MACs over ResNet-20", () => {
    const cbam = costs('cbam-resnet20');
    expect(cbam.modules).toHaveLength(9);
    expect(new Set(cbam.modules.map((m) => m.kind))).toEqual(new Set(['cbam']));
    // C' = floor(C/16): the shared MLP CC' + C' + C'C + C, the 7x7 2->1 spatial conv (no bias) and its BN's gamma, beta.
    const reduced = (C: number) => Math.floor(C / 16);
    const trainable = overStages((C) => 2 * C * reduced(C) + reduced(C) + C + 2 * 7 * 7 + 2);
    // avg and max pools, channel scale and spatial scale HWC each, the channel pool (mean and max) 2HWC;
    // the shared MLP runs twice (4CC'), its add and sigmoid C each; the 7x7 conv 98 per pixel, BN and sigmoid HW each.
    const macs = overStages((C, HW) => 6 * HW * C + 4 * C * reduced(C) + 2 * C + 98 * HW + 2 * HW);
    expect(trainable).toBe(3_273);
    expect(cbam.trainableParams.total).toBe(trainable);
    expect(cbam.params.total).toBe(trainable + 9 * 2); // the BN's moving mean and variance
    expect(cbam.macs.total).toBe(macs);
    expect(percent(cbam.trainableParams.share, 2)).toBe(1.2);
    // 2.25%: the guide's earlier 2.2% counted the shared MLP's second call as free
    expect(percent(cbam.macs.added, 3)).toBe(2.25);
  });

  it("counts nonlocal-resnet50's block as the published counts' difference, 2,101,760 trainable parameters", () => {
    const nonLocal = costs('nonlocal-resnet50');
    expect(nonLocal.modules.map((m) => [m.module, m.kind])).toEqual([['layer3.4.nonlocal', 'non-local']]);
    // theta, phi, g: 1x1 1024 -> 512 with bias; W: 512 -> 1024 with bias; its BN's gamma and beta
    expect(nonLocal.trainableParams.total).toBe(3 * (1024 * 512 + 512) + 512 * 1024 + 1024 + 2 * 1024);
    expect(nonLocal.trainableParams.total).toBe(27_658_792 - 25_557_032);
  });

  it('finds no modules in a network without attention', () => {
    const plain = costs('resnet20');
    expect(plain.modules).toEqual([]);
    expect(plain.macs).toEqual({ total: 0, share: 0, added: 0 });
  });
});
