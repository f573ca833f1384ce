import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../src/index.js';

function lenet5(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [32, 32, 1], filters: 6, kernelSize: 5, activation: 'tanh', name: 'c1' }),
      tfl.layers.averagePooling2d({ poolSize: 2, name: 's2' }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'tanh', name: 'c3' }),
      tfl.layers.averagePooling2d({ poolSize: 2, name: 's4' }),
      tfl.layers.conv2d({ filters: 120, kernelSize: 5, activation: 'tanh', name: 'c5' }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 84, activation: 'tanh', name: 'f6' }),
      tfl.layers.dense({ units: 10, name: 'output' }),
    ],
  });
}

describe('summarizeModel', () => {
  it('costs a shared layer once per call in the model, and not for calls made in another model', () => {
    const shared = tfl.layers.dense({ units: 3, name: 'shared' });
    const a = tfl.input({ shape: [4], name: 'a' });
    const b = tfl.input({ shape: [4], name: 'b' });
    const sum = tfl.layers.add({ name: 'sum' }).apply([shared.apply(a), shared.apply(b)] as tfl.SymbolicTensor[]) as tfl.SymbolicTensor;
    const twice = tfl.model({ inputs: [a, b], outputs: sum });
    const once = tfl.model({ inputs: a, outputs: shared.apply(a) as tfl.SymbolicTensor });
    const row = (model: tfl.LayersModel) => summarizeModel(model).layers.find((l) => l.name === 'shared');
    expect(row(twice)).toMatchObject({ params: 4 * 3 + 3, macs: 2 * 4 * 3 });
    expect(row(once)).toMatchObject({ params: 4 * 3 + 3, macs: 4 * 3 });
    expect(summarizeModel(twice).totals.macs).toBe(2 * 4 * 3 + 3);
  });

  it('reproduces the hand-worked LeNet-5 table: shapes, params, MACs, receptive fields', () => {
    const summary = summarizeModel(lenet5());
    const table = summary.layers.map((l) => [
      l.name,
      l.outputShape,
      l.params,
      l.macs,
      l.receptiveField.global ? 'global' : l.receptiveField.height.size,
    ]);
    expect(table).toEqual([
      ['c1', [28, 28, 6], 156, 28 * 28 * 6 * 25, 5],
      ['s2', [14, 14, 6], 0, 14 * 14 * 6 * 4, 6],
      ['c3', [10, 10, 16], 2416, 10 * 10 * 16 * 150, 14],
      ['s4', [5, 5, 16], 0, 5 * 5 * 16 * 4, 16],
      ['c5', [1, 1, 120], 48_120, 120 * 400, 32],
      ['flatten', [120], 0, 0, 'global'],
      ['f6', [84], 10_164, 10_080, 'global'],
      ['output', [10], 850, 840, 'global'],
    ]);
    expect(summary.input).toEqual([32, 32, 1]);
  });

  it('totals equal tfjs countParams() and flops are twice the MACs', () => {
    const model = lenet5();
    const { totals } = summarizeModel(model);
    expect(totals.params).toBe(model.countParams());
    expect(totals.params).toBe(61_706);
    expect(totals.flops).toBe(2 * totals.macs);
  });

  it('separates non-trainable batch-norm statistics and follows branches of a functional model', () => {
    const input = tfl.input({ shape: [16, 16, 8] });
    const conv = tfl.layers
      .conv2d({ filters: 8, kernelSize: 3, padding: 'same', dilationRate: 2, name: 'branch.conv' })
      .apply(input) as tfl.SymbolicTensor;
    const bn = tfl.layers.batchNormalization({ name: 'branch.bn' }).apply(conv) as tfl.SymbolicTensor;
    const sum = tfl.layers.add({ name: 'residual' }).apply([bn, input]) as tfl.SymbolicTensor;
    const depthwise = tfl.layers
      .depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', name: 'dw' })
      .apply(sum) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: depthwise });
    const summary = summarizeModel(model);
    const byName = Object.fromEntries(summary.layers.map((l) => [l.name, l]));
    expect(byName['branch.bn']?.trainableParams).toBe(16);
    expect(summary.totals.nonTrainableParams).toBe(16);
    expect(byName['residual']?.inbound).toEqual(['branch.bn', model.layers[0]?.name]);
    expect(byName['residual']?.receptiveField.height).toEqual({ size: 5, jump: 1 });
    expect(byName['dw']?.receptiveField.height).toEqual({ size: 7, jump: 2 });
    expect(byName['dw']?.macs).toBe(8 * 8 * 8 * 9);
    expect(byName['residual']?.macs).toBe(16 * 16 * 8);
    expect(summary.totals.params).toBe(model.countParams());
  });
});
