import * as tf from '@tensorflow/tfjs-core';
import { sequential } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { PReLU } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import './support/setup.js';

checkLayerContract('PReLU per channel', {
  make: () => new PReLU(),
  shapes: [
    [
      [5, 5, 3],
      [5, 5, 3],
    ],
    [
      [9, 2, 3],
      [9, 2, 3],
    ],
    [[6], [6]],
  ],
  gradientInput: [2, 3, 3, 3],
});

checkLayerContract('PReLU with one shared slope', {
  make: () => new PReLU({ perChannel: false, init: 0.1 }),
  shapes: [
    [
      [4, 4, 2],
      [4, 4, 2],
    ],
  ],
  gradientInput: [1, 3, 3, 2],
});

describe('PReLU (backend-independent)', () => {
  test('starts at slope 0.25 per channel (He et al.)', () => {
    const layer = new PReLU();
    layer.build([null, 4, 4, 5]);
    expect(Array.from((layer.getWeights()[0] as tf.Tensor).dataSync())).toEqual([0.25, 0.25, 0.25, 0.25, 0.25]);
  });

  test('learns per-channel slopes 0.1, -0.3 and 0.6 in a toy fit', async () => {
    const slopes = [0.1, -0.3, 0.6];
    const x = tf.randomNormal([64, 2, 2, 3], 0, 1, 'float32', 11);
    const y = tf.prelu(x, tf.tensor(slopes));
    const prelu = new PReLU({ inputShape: [2, 2, 3] });
    const model = sequential({ layers: [prelu] });
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 60, batchSize: 64, verbose: 0 });
    const learned = Array.from((prelu.getWeights()[0] as tf.Tensor).dataSync());
    expect(learned.map((a) => Math.round(a * 100) / 100)).toEqual(slopes);
  });
});
