import { depthwiseSeparableCostRatio, initBackend, summarizeModel } from '@convkit/core';
import { convBnAct, depthwiseSeparable, invertedResidual } from '@convkit/layers';
import { input, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { convAndDenseMacs } from './support/dense-mobile-counts.js';
import { buildForCounting } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Convolution MACs of `unit` applied to an `h x w x c` input, from `models summary`'s per-layer rows. */
function macsOf(shape: [number, number, number], unit: (x: SymbolicTensor) => SymbolicTensor): number {
  const x = input({ shape });
  const m = model({ inputs: x, outputs: unit(x) });
  const macs = convAndDenseMacs(summarizeModel(m));
  m.dispose();
  return macs;
}

describe('the README figures on depthwise-separable cost', () => {
  it.each([
    [512, 3],
    [1024, 3],
    [64, 5],
  ])('a depthwise-separable unit with %i output channels and kernel size %i costs 1/N + 1/K^2 of a standard convolution', (n, k) => {
    const shape: [number, number, number] = [14, 14, n];
    const separable = macsOf(shape, depthwiseSeparable('u', { filters: n, kernelSize: k }));
    const standard = macsOf(shape, convBnAct('u', { filters: n, kernelSize: k }));
    expect(separable / standard).toBeCloseTo(depthwiseSeparableCostRatio(n, k), 12);
  });

  it("an inverted residual costs h w t d' (d' + k^2 + d'') at stride 1, the paper's section 5.1 count", () => {
    const [h, w, d, t, k, out] = [14, 14, 64, 6, 3, 96];
    expect(macsOf([h, w, d], invertedResidual('b', { filters: out, expansion: t, naming: 'paper' }))).toBe(
      h * w * t * d * (d + k * k + out),
    );
  });
});

describe('the README figures on receptive fields, at 224x224', () => {
  it.each([
    ['mobilenet-v1', 'block13.pw.act', 315],
    ['mobilenet-v2', 'features.18.2', 491],
    ['densenet121', 'features.norm5', 2071],
    ['densenet169', 'features.norm5', 3351],
    ['densenet201', 'features.norm5', 3863],
    ['densenet161', 'features.norm5', 2967],
  ])("%s's last feature map (%s) sees %i input pixels a side", (name, layer, size) => {
    const m = buildForCounting(name, { widthMultiplier: 0.125 });
    const row = summarizeModel(m).layers.find((l) => l.name === layer);
    m.dispose();
    expect(row?.receptiveField.height.size).toBe(size);
    expect(row?.receptiveField.height.jump).toBe(32);
  });
});
