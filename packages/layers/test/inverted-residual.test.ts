import { convParams, summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { invertedResidual } from '../src/index.js';
import './support/setup.js';

function built(shape: number[], block: (x: SymbolicTensor) => SymbolicTensor): LayersModel {
  const x = input({ shape });
  return model({ inputs: x, outputs: block(x) });
}

const rows = (m: LayersModel) => m.layers.slice(1).map((l) => [l.name, l.getClassName()]);

/** Trainable weights of an inverted residual c -> c' with expansion t, kernel 3: 1x1 c -> tc, BN, 3x3 depthwise, BN, 1x1 tc -> c', BN. */
function invertedResidualParams(c: number, out: number, t: number): number {
  const hidden = c * t;
  const conv = (kernel: number, inChannels: number, outChannels: number, groups = 1) =>
    convParams({ outHeight: 1, outWidth: 1, kernelHeight: kernel, kernelWidth: kernel, inChannels, outChannels, groups, useBias: false });
  const expand = t === 1 ? 0 : conv(1, c, hidden) + 2 * hidden;
  return expand + conv(3, hidden, hidden, hidden) + 2 * hidden + conv(1, hidden, out) + 2 * out;
}

describe('invertedResidual', () => {
  test("names an expanded block by torchvision's module paths, ReLU6 after the expansion and depthwise steps only", () => {
    const m = built([8, 8, 4], invertedResidual('features.3', { filters: 4, expansion: 6 }));
    expect(rows(m)).toEqual([
      ['features.3.conv.0.0', 'Conv2D'],
      ['features.3.conv.0.1', 'BatchNormalization'],
      ['features.3.conv.0.2', 'convkit.Activation'],
      ['features.3.conv.1.0', 'DepthwiseConv2D'],
      ['features.3.conv.1.1', 'BatchNormalization'],
      ['features.3.conv.1.2', 'convkit.Activation'],
      ['features.3.conv.2', 'Conv2D'],
      ['features.3.conv.3', 'BatchNormalization'],
      ['features.3.add', 'Add'],
    ]);
    expect(m.getLayer('features.3.conv.1.2').getConfig().activation).toBe('relu6');
    expect(m.getLayer('features.3.conv.0.0').getConfig().filters).toBe(24);
  });

  test('leaves the expansion out at t = 1 and shifts the indices down, as torchvision does', () => {
    const m = built([8, 8, 32], invertedResidual('features.1', { filters: 16, expansion: 1 }));
    expect(m.layers.slice(1).map((l) => l.name)).toEqual([
      'features.1.conv.0.0',
      'features.1.conv.0.1',
      'features.1.conv.0.2',
      'features.1.conv.1',
      'features.1.conv.2',
    ]);
  });

  test.each([
    ['stride 1, same channels', 1, 8, true],
    ['stride 2', 2, 8, false],
    ['new channels', 1, 12, false],
  ] as const)('adds the input back only at stride 1 with unchanged channels (%s)', (_, strides, filters, residual) => {
    const m = built([8, 8, 8], invertedResidual('b', { filters, expansion: 6, strides, naming: 'paper' }));
    expect(m.layers.some((l) => l.name === 'b.add')).toBe(residual);
    expect(m.outputs[0]?.shape).toEqual([null, 8 / strides, 8 / strides, filters]);
    expect(summarizeModel(m).totals.trainableParams).toBe(invertedResidualParams(8, filters, 6));
  });

  test('pads its stride-2 depthwise convolution as PyTorch does (one pixel each side), so 7x7 maps to 4x4 centred', () => {
    const m = built([7, 7, 2], invertedResidual('b', { filters: 3, expansion: 1, strides: 2, naming: 'paper' }));
    expect(m.getLayer('b.dw.conv').getClassName()).toBe('convkit.DepthwiseConv2d');
    expect(m.outputs[0]?.shape).toEqual([null, 4, 4, 3]);
  });

  test('the projection is linear: a negative output survives, and the residual adds the input exactly', () => {
    const m = built([4, 4, 3], invertedResidual('b', { filters: 3, expansion: 2, naming: 'paper' }));
    const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 7);
    const y = m.predict(x) as tf.Tensor;
    const branch = tf.sub(y, x);
    expect(tf.min(branch).dataSync()[0]).toBeLessThan(0);
    const withoutAdd = model({ inputs: m.inputs, outputs: m.getLayer('b.project.bn').output as SymbolicTensor });
    expect(tf.max(tf.abs(tf.sub(branch, withoutAdd.predict(x) as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-6);
  });

  test('applies the attention slot to the hidden channels between the depthwise step and the projection', () => {
    const seen: [number, string][] = [];
    const block = invertedResidual('b', {
      filters: 4,
      expansion: 3,
      naming: 'paper',
      attention: (channels, name) => {
        seen.push([channels, name]);
        const gate = layers.activation({ name, activation: 'sigmoid' });
        return (x) => layers.multiply({ name: `${name}.scale` }).apply([x, gate.apply(x) as SymbolicTensor]) as SymbolicTensor;
      },
    });
    const m = built([6, 6, 4], block);
    expect(seen).toEqual([[12, 'b.attn']]);
    const inbound = (name: string) => m.getLayer(name).inboundNodes[0]?.inboundLayers.map((l) => l.name);
    expect(inbound('b.attn')).toEqual(['b.dw.act']);
    expect(inbound('b.project.conv')).toEqual(['b.attn.scale']);
  });
});
