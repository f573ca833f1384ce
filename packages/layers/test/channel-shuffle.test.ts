import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { ChannelShuffle } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import './support/setup.js';

checkLayerContract('ChannelShuffle with 3 groups', {
  make: () => new ChannelShuffle({ groups: 3 }),
  shapes: [
    [
      [4, 4, 6],
      [4, 4, 6],
    ],
    [
      [1, 7, 12],
      [1, 7, 12],
    ],
  ],
});

describe('ChannelShuffle', () => {
  test("interleaves groups as ShuffleNet's reshape-transpose-flatten", () => {
    const x = tf.tensor([0, 1, 2, 3, 4, 5], [1, 1, 1, 6]);
    const y = new ChannelShuffle({ groups: 2 }).apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([0, 3, 1, 4, 2, 5]);
  });

  test('rejects channels not divisible by groups naming the layer and shape', () => {
    expect(() => new ChannelShuffle({ name: 'stage2.shuffle', groups: 4 }).computeOutputShape([null, 8, 8, 6])).toThrow(
      /ChannelShuffle "stage2.shuffle" \(input \?x8x8x6, NHWC\): channels \(6\) must be divisible by groups \(4\)/,
    );
  });
});
