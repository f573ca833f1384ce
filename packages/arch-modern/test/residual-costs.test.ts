import { convParams, initBackend, summarizeModel } from '@convkit/core';
import { input, model } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ResidualBlockOptions, residualBlock } from '../src/residual-block.js';
import { buildForCounting } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Convolution weights and MACs of one residual block on an `h x w x c` input, from `summarizeModel`'s rows. */
function blockCost(
  shape: [number, number, number],
  options: Omit<ResidualBlockOptions, 'kernelInitializer' | 'naming' | 'shortcut' | 'strides'>,
) {
  const x = input({ shape });
  const m = model({
    inputs: x,
    outputs: residualBlock('b', { ...options, strides: 1, shortcut: 'projection', naming: 'paper', kernelInitializer: 'zeros' })(x),
  });
  const convs = summarizeModel(m).layers.filter((row) => /\.conv\d$/.test(row.name));
  m.dispose();
  return { params: convs.reduce((s, r) => s + r.params, 0), macs: convs.reduce((s, r) => s + r.macs, 0) };
}

/** Weights of a bias-free k x k convolution from `cin` to `cout` channels, by core's formula. */
const conv = (k: number, cin: number, cout: number, groups = 1) =>
  convParams({ outHeight: 1, outWidth: 1, kernelHeight: k, kernelWidth: k, inChannels: cin, outChannels: cout, groups, useBias: false });

describe('the README figures on residual block costs', () => {
  const C = 256;

  it("a bottleneck on C channels (1x1 C -> C/4, 3x3 C/4 -> C/4, 1x1 C/4 -> C) has 17/16 C^2 weights, not the seed's 2.25 C^2", () => {
    const formula = conv(1, C, C / 4) + conv(3, C / 4, C / 4) + conv(1, C / 4, C);
    expect(formula).toBe((17 / 16) * C * C);
    expect(formula).not.toBe(2.25 * C * C);
    const { params, macs } = blockCost([14, 14, C], { branch: 'bottleneck', order: 'post', filters: C, width: C / 4 });
    expect(params).toBe(formula);
    expect(macs).toBe(14 * 14 * formula);
  });

  it('two 3x3 convolutions on C channels (the basic block) have 18 C^2 weights, 16.9 times the bottleneck', () => {
    const formula = 2 * conv(3, C, C);
    expect(formula).toBe(18 * C * C);
    expect(blockCost([14, 14, C], { branch: 'basic', order: 'post', filters: C, width: C }).params).toBe(formula);
    expect(formula / ((17 / 16) * C * C)).toBeCloseTo(16.94, 2);
  });

  it("the paper's like-for-like pair: a 256-d bottleneck (69,632) costs about a 64-d basic block (73,728)", () => {
    expect(blockCost([14, 14, 256], { branch: 'bottleneck', order: 'post', filters: 256, width: 64 }).params).toBe(69_632);
    expect(blockCost([14, 14, 64], { branch: 'basic', order: 'post', filters: 64, width: 64 }).params).toBe(73_728);
  });

  it('a ResNeXt bottleneck with C groups of d channels has 2 C_in (C d) + 9 C d^2 weights: 32x4d on 256 channels, 70,144 (the 256-d ResNet bottleneck: 69,632)', () => {
    const { params } = blockCost([14, 14, 256], { branch: 'bottleneck', order: 'post', filters: 256, width: 128, groups: 32 });
    expect(params).toBe(conv(1, 256, 128) + conv(3, 128, 128, 32) + conv(1, 128, 256));
    expect(params).toBe(2 * 256 * 128 + 9 * 32 * 4 * 4);
  });

  it('a pre-activation block costs what its post-activation twin does in convolutions', () => {
    const post = blockCost([8, 8, 64], { branch: 'bottleneck', order: 'post', filters: 64, width: 16 });
    const pre = blockCost([8, 8, 64], { branch: 'bottleneck', order: 'pre', filters: 64, width: 16 });
    expect(pre).toEqual(post);
  });
});

describe('the README figures on receptive fields (the last feature map before the global pool, at the default input)', () => {
  it.each([
    ['resnet20', 81, 4],
    ['resnet56', 249, 4],
    ['resnet110', 501, 4],
    ['resnet18', 435, 32],
    ['resnet34', 899, 32],
    ['resnet50', 427, 32],
    ['resnet101', 971, 32],
    ['resnet152', 1451, 32],
    ['resnext29-8x64d', 39, 4],
    ['preact-resnet164', 249, 4],
    ['wrn-28-10', 109, 4],
  ] as const)('%s sees %i input pixels a side, jump %i', (name, size, jump) => {
    const m = buildForCounting(name, { widthMultiplier: 1 / 16 });
    const rows = summarizeModel(m).layers;
    m.dispose();
    const pool = rows.find((row) => row.name === 'avgpool');
    const last = rows.find((row) => row.name === pool?.inbound[0]);
    expect(last?.receptiveField.height).toEqual({ size, jump });
  });
});
