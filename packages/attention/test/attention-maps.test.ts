import * as tf from '@tensorflow/tfjs-core';
import { input, model } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { attentionMaps, cbam, nonLocalBlock, squeezeExcite } from '../src/index.js';
import './support/setup.js';

describe('attentionMaps', () => {
  it("returns SE's channel weights, CBAM's channel and spatial maps and a non-local block's pairwise weights of one image", () => {
    const x = input({ shape: [6, 6, 16], name: 'input' });
    let y = squeezeExcite({ reduction: 4 })(16, 'b1.se')(x);
    y = cbam({ reduction: 4 })(16, 'b2.cbam')(y);
    y = nonLocalBlock()(16, 'b3.nl')(y);
    const m = model({ inputs: x, outputs: y });
    const image = tf.randomNormal([6, 6, 16], 0, 1, 'float32', 2);
    const maps = attentionMaps(m, image);
    expect(maps.map((a) => [a.module, a.kind, a.values.shape])).toEqual([
      ['b1.se', 'channel', [16]],
      ['b2.cbam', 'channel', [16]],
      ['b2.cbam', 'spatial', [6, 6]],
      ['b3.nl', 'pairwise', [36, 9]],
    ]);
    expect(maps[3]?.grids).toEqual({ query: [6, 6], key: [3, 3] });
    // Sigmoid gates lie in (0, 1); the embedded Gaussian's rows are softmax distributions.
    for (const map of maps.slice(0, 3)) expect(Array.from(map.values.dataSync()).every((v) => v > 0 && v < 1)).toBe(true);
    const rows = tf.sum(maps[3]?.values as tf.Tensor, 1).dataSync();
    expect(Array.from(rows).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);
    // SE's weights are what scales the input: its output over its input, channel by channel.
    const probe = model({ inputs: x, outputs: m.getLayer('b1.se.scale').output as never });
    const scaled = (probe.predict(tf.expandDims(image, 0)) as tf.Tensor).dataSync();
    const weights = maps[0]?.values.dataSync() as Float32Array;
    expect(Math.abs((scaled[5] as number) / (image.dataSync()[5] as number) - (weights[5] as number))).toBeLessThan(1e-5);
  });

  it('is empty for a model without attention modules', () => {
    const x = input({ shape: [4, 4, 3] });
    expect(attentionMaps(model({ inputs: x, outputs: x }), tf.zeros([4, 4, 3]))).toEqual([]);
  });
});
