import { summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, model } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { convBnAct, residualShortcut, ZeroPadShortcut } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import './support/setup.js';

checkLayerContract('ZeroPadShortcut 3 -> 8 channels at stride 2', {
  make: () => new ZeroPadShortcut({ filters: 8, strides: 2 }),
  shapes: [
    [
      [6, 6, 3],
      [3, 3, 8],
    ],
    [
      [7, 5, 3],
      [4, 3, 8],
    ],
  ],
  // no weights, but its gradient is a custom composition (strided slice + pad): check it anyway.
  gradientInput: [2, 5, 4, 3],
});

describe('ZeroPadShortcut (ResNet option A)', () => {
  test('keeps rows and columns 0, 2, 4, ... and puts the input channels in the middle of zeros', () => {
    const x = tf.tensor(
      Array.from({ length: 3 * 3 * 2 }, (_, i) => i + 1),
      [1, 3, 3, 2],
    );
    const y = new ZeroPadShortcut({ filters: 5, strides: 2 }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 2, 2, 5]);
    // pixel (r, c) holds channels 2 * (3r + c) + 1 and + 2; one zero channel before, two after.
    expect(Array.from(y.dataSync())).toEqual([0, 1, 2, 0, 0, 0, 5, 6, 0, 0, 0, 13, 14, 0, 0, 0, 17, 18, 0, 0]);
  });

  test('subsamples at the positions a stride-2 3x3 convolution with padding 1 centres on', () => {
    const x = input({ shape: [9, 9, 4] });
    const conv = convBnAct('conv', { filters: 8, kernelSize: 3, strides: 2, norm: false, activation: null })(x);
    const pad = new ZeroPadShortcut({ filters: 8 }).apply(x) as typeof x;
    expect(pad.shape).toEqual(conv.shape);
  });

  test('adds no weights and no MACs, and moves the receptive field by its stride', () => {
    const x = input({ shape: [8, 8, 4] });
    const y = new ZeroPadShortcut({ name: 'shortcut', filters: 8 }).apply(x) as typeof x;
    const row = summarizeModel(model({ inputs: x, outputs: y })).layers[1]!;
    expect([row.params, row.macs, row.receptiveField.height]).toEqual([0, 0, { size: 1, jump: 2 }]);
  });

  test('refuses fewer output than input channels, naming the layer and the fix', () => {
    expect(() => new ZeroPadShortcut({ name: 'stage2.block1.shortcut', filters: 4 }).computeOutputShape([null, 8, 8, 6])).toThrow(
      /ZeroPadShortcut "stage2.block1.shortcut" \(input \?x8x8x6, NHWC\): filters \(4\) must be at least the input channels \(6\).*projection/,
    );
  });
});

describe('residualShortcut', () => {
  const namesOf = (kind: 'zero-pad' | 'projection', channels: number, filters: number, strides: number) => {
    const x = input({ shape: [8, 8, channels] });
    const y = residualShortcut('stage2.block1.shortcut', { kind, filters, strides })(x);
    return {
      names: model({ inputs: x, outputs: y })
        .layers.slice(1)
        .map((l) => l.name),
      shape: y.shape,
      same: y === x,
    };
  };

  test('is the identity where the branch keeps the shape, whatever the option', () => {
    expect(namesOf('zero-pad', 8, 8, 1).same).toBe(true);
    expect(namesOf('projection', 8, 8, 1).same).toBe(true);
  });

  test('option A is one parameter-free layer; option B a strided 1x1 convolution and batch norm', () => {
    expect(namesOf('zero-pad', 4, 8, 2)).toEqual({ names: ['stage2.block1.shortcut'], shape: [null, 4, 4, 8], same: false });
    expect(namesOf('projection', 4, 8, 2)).toEqual({
      names: ['stage2.block1.shortcut.conv', 'stage2.block1.shortcut.bn'],
      shape: [null, 4, 4, 8],
      same: false,
    });
  });

  test("takes torchvision's downsample.0 / downsample.1 names, and no norm for pre-activation shortcuts", () => {
    const x = input({ shape: [8, 8, 4] });
    const tv = residualShortcut('layer2.0.downsample', {
      kind: 'projection',
      filters: 16,
      strides: 2,
      names: { conv: 'layer2.0.downsample.0', norm: 'layer2.0.downsample.1' },
    })(x);
    const m = model({ inputs: x, outputs: tv });
    expect(m.layers.slice(1).map((l) => [l.name, l.countParams()])).toEqual([
      ['layer2.0.downsample.0', 4 * 16],
      ['layer2.0.downsample.1', 4 * 16],
    ]);
    const pre = residualShortcut('shortcut', { kind: 'projection', filters: 16, norm: false })(x);
    expect(
      model({ inputs: x, outputs: pre })
        .layers.slice(1)
        .map((l) => l.name),
    ).toEqual(['shortcut.conv']);
  });
});
