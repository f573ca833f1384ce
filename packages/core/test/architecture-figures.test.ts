import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  architectureFigures,
  architectureOptions,
  buildWithZeroWeights,
  defineArchitecture,
  Registry,
  summarizeArchitecture,
} from '../src/index.js';

const wideNet = defineArchitecture({
  name: 'widenet',
  family: 'wide',
  tags: ['wide', 'cifar-like'],
  defaultInput: [16, 16, 3],
  options: architectureOptions({ numClasses: 5, inputShape: [16, 16, 3] }, {}),
  build: ({ numClasses, inputShape }) =>
    tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape, filters: 8, kernelSize: 3, padding: 'same', name: 'conv' }),
        tfl.layers.globalAveragePooling2d({ name: 'pool' }),
        tfl.layers.dense({ units: numClasses, name: 'head' }),
      ],
    }),
});
const registry = new Registry().use({ name: 'wide-plugin', architectures: [wideNet] });

describe('architectureFigures', () => {
  it('reports params, MACs and flops = 2 x MACs at the default input, with the providing plugin', () => {
    const figures = architectureFigures(registry, 'widenet');
    const convMacs = 16 * 16 * 8 * 3 * 3 * 3;
    const poolOps = 16 * 16 * 8;
    expect(figures).toEqual({
      name: 'widenet',
      family: 'wide',
      tags: ['wide', 'cifar-like'],
      plugin: 'wide-plugin',
      params: 3 * 3 * 3 * 8 + 8 + 8 * 5 + 5,
      trainableParams: 3 * 3 * 3 * 8 + 8 + 8 * 5 + 5,
      macs: convMacs + poolOps + 8 * 5,
      flops: 2 * (convMacs + poolOps + 8 * 5),
      input: [16, 16, 3],
    });
  });

  it('follows the input size given in the options', () => {
    expect(summarizeArchitecture(registry, 'widenet', { inputShape: [32, 24, 3] }).layers[0]?.outputShape).toEqual([32, 24, 8]);
  });
});

describe('buildWithZeroWeights', () => {
  it('builds with all-zero weights and restores random initialisation afterwards', () => {
    const cheap = buildWithZeroWeights(() => registry.create('widenet'));
    expect(Array.from(cheap.getWeights()[0]?.dataSync() ?? [])).toSatisfy((v: number[]) => v.every((x) => x === 0));
    const normal = registry.create('widenet');
    expect(Array.from(normal.getWeights()[0]?.dataSync() ?? []).some((x) => x !== 0)).toBe(true);
  });

  it('restores the initializers when the build throws', () => {
    expect(() =>
      buildWithZeroWeights(() => {
        throw new Error('boom');
      }),
    ).toThrowError('boom');
    const dense = tfl.layers.dense({ units: 4 });
    dense.build([null, 4]);
    expect(Array.from(dense.getWeights()[0]?.dataSync() ?? []).some((x) => x !== 0)).toBe(true);
  });
});
