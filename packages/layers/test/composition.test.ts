import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, saveModel, summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { channelConcat, channelShuffle, convBnAct, depthwiseSeparable, residualAdd } from '../src/index.js';
import './support/setup.js';

function names(outputs: SymbolicTensor, inputs: SymbolicTensor): string[] {
  return model({ inputs, outputs })
    .layers.slice(1)
    .map((l) => l.name);
}

describe('composition helpers', () => {
  test('convBnAct names its layers <prefix>.conv/.bn/.act and keeps the size at stride 1 with auto padding', () => {
    const x = input({ shape: [9, 9, 3] });
    const y = convBnAct('stem', { filters: 8, kernelSize: 3 })(x);
    expect(names(y, x)).toEqual(['stem.conv', 'stem.bn', 'stem.act']);
    expect(y.shape).toEqual([null, 9, 9, 8]);
    expect(convBnAct('down', { filters: 8, kernelSize: 3, strides: 2 })(x).shape).toEqual([null, 5, 5, 8]);
  });

  test('convBnAct drops the conv bias before BN, supports pre-activation order and zero-init BN', () => {
    const x = input({ shape: [6, 6, 4] });
    const y = convBnAct('block1.conv2', { filters: 4, kernelSize: 3, order: 'pre', activation: 'relu6', norm: { zeroInit: true } })(x);
    const m = model({ inputs: x, outputs: y });
    expect(m.layers.slice(1).map((l) => l.name)).toEqual(['block1.conv2.bn', 'block1.conv2.act', 'block1.conv2.conv']);
    expect(m.getLayer('block1.conv2.conv').getConfig().useBias).toBe(false);
    expect(Array.from((m.getLayer('block1.conv2.bn').getWeights()[0] as tf.Tensor).dataSync())).toEqual([0, 0, 0, 0]);
    const noNorm = model({ inputs: x, outputs: convBnAct('head', { filters: 2, kernelSize: 1, norm: false, activation: null })(x) });
    expect(noNorm.layers.slice(1).map((l) => [l.name, l.getConfig().useBias])).toEqual([['head.conv', true]]);
  });

  test("depthwiseSeparable puts BN and activation after each step in MobileNet's placement and once in Xception's", () => {
    const x = input({ shape: [8, 8, 4] });
    const mobilenet = depthwiseSeparable('conv_dw_1', { filters: 16, strides: 2, activation: 'relu6' })(x);
    expect(names(mobilenet, x)).toEqual([
      'conv_dw_1.dw.conv',
      'conv_dw_1.dw.bn',
      'conv_dw_1.dw.act',
      'conv_dw_1.pw.conv',
      'conv_dw_1.pw.bn',
      'conv_dw_1.pw.act',
    ]);
    expect(mobilenet.shape).toEqual([null, 4, 4, 16]);
    const xception = depthwiseSeparable('block2.sepconv1', { filters: 16, placement: 'xception' })(x);
    expect(names(xception, x)).toEqual(['block2.sepconv1.conv', 'block2.sepconv1.bn', 'block2.sepconv1.act']);
  });

  test('residualAdd, channelConcat and channelShuffle name their layers and build a block that saves and loads', async () => {
    const x = input({ shape: [6, 6, 8] });
    const branch = convBnAct('layer1.0.conv2', { filters: 8, kernelSize: 3, activation: null, norm: { zeroInit: true } })(
      convBnAct('layer1.0.conv1', { filters: 8, kernelSize: 3 })(x),
    );
    const sum = residualAdd('layer1.0', { activation: 'relu', dropPath: 0.1, seed: 3 })(x, branch);
    const shuffled = channelShuffle('layer1.0.shuffle', 4)(channelConcat('layer1.0.concat')([sum, x]));
    const m = model({ inputs: x, outputs: shuffled });
    expect(m.layers.map((l) => l.name)).toEqual(
      expect.arrayContaining(['layer1.0.drop_path', 'layer1.0.add', 'layer1.0.act', 'layer1.0.concat', 'layer1.0.shuffle']),
    );
    expect(shuffled.shape).toEqual([null, 6, 6, 16]);
    expect(summarizeModel(m).layers.every((row) => !row.estimated)).toBe(true);
    const folder = await mkdtemp(join(tmpdir(), 'convkit-block-'));
    try {
      const sample = tf.randomNormal([2, 6, 6, 8], 0, 1, 'float32', 1);
      await saveModel(m, folder);
      const loaded = await loadModel(folder);
      expect(Array.from((loaded.predict(sample) as tf.Tensor).dataSync())).toEqual(Array.from((m.predict(sample) as tf.Tensor).dataSync()));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
