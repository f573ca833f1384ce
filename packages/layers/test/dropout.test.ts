import * as tf from '@tensorflow/tfjs-core';
import { input } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { Dropout, DropPath, SpatialDropout2d } from '../src/index.js';
import { checkLayerContract } from './support/contract.js';
import './support/setup.js';

const shapes: [number[], number[]][] = [
  [
    [5, 5, 3],
    [5, 5, 3],
  ],
  [
    [8, 2, 4],
    [8, 2, 4],
  ],
];

checkLayerContract('Dropout', { make: () => new Dropout({ rate: 0.5, seed: 1 }), shapes });
checkLayerContract('SpatialDropout2d', { make: () => new SpatialDropout2d({ rate: 0.3, seed: 2 }), shapes });
checkLayerContract('DropPath', { make: () => new DropPath({ rate: 0.2, seed: 3 }), shapes });

function run(
  layer: tf.serialization.Serializable & { apply: (x: tf.Tensor, kwargs: object) => unknown },
  x: tf.Tensor,
  training: boolean,
): Float32Array {
  return (layer.apply(x, { training }) as tf.Tensor).dataSync() as Float32Array;
}

describe('dropout layers', () => {
  const x = tf.ones([64, 4, 4, 8]);

  test.each([
    ['Dropout', () => new Dropout({ rate: 0.25, seed: 5 })],
    ['SpatialDropout2d', () => new SpatialDropout2d({ rate: 0.25, seed: 5 })],
    ['DropPath', () => new DropPath({ rate: 0.25, seed: 5 })],
  ])('%s is the identity at inference and inverted (kept values scaled by 1/(1-rate)) in training', (_, make) => {
    expect(new Set(run(make(), x, false))).toEqual(new Set([1]));
    const y = run(make(), x, true);
    expect(new Set(y)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const dropped = y.filter((v) => v === 0).length / y.length;
    expect(dropped).toBeGreaterThan(0.15);
    expect(dropped).toBeLessThan(0.35);
  });

  test('SpatialDropout2d drops whole channels and DropPath whole examples', () => {
    const spatial = tf.tensor(run(new SpatialDropout2d({ rate: 0.5, seed: 9 }), x, true), x.shape);
    // per (example, channel): all 16 positions equal.
    const spread = tf.sub(tf.max(spatial, [1, 2]), tf.min(spatial, [1, 2]));
    expect(tf.max(spread).dataSync()[0]).toBe(0);
    const path = tf.tensor(run(new DropPath({ rate: 0.5, seed: 9 }), x, true), x.shape);
    const perExample = tf.sub(tf.max(path, [1, 2, 3]), tf.min(path, [1, 2, 3]));
    expect(tf.max(perExample).dataSync()[0]).toBe(0);
  });

  test('a seed makes the sequence of masks reproducible, and masks change from call to call', () => {
    const a = new DropPath({ rate: 0.5, seed: 42 });
    const b = new DropPath({ rate: 0.5, seed: 42 });
    const first = [run(a, x, true), run(a, x, true)];
    const second = [run(b, x, true), run(b, x, true)];
    expect(second).toEqual(first);
    expect(first[1]).not.toEqual(first[0]);
  });

  test('rejects a rate outside [0, 1) naming the layer', () => {
    expect(() => new DropPath({ name: 'stage3.block2.drop_path', rate: 1 })).toThrow(
      /DropPath "stage3.block2.drop_path": rate must be in \[0, 1\), got 1/,
    );
    expect(() => new Dropout({ name: 'head.dropout', rate: -0.1 })).toThrow(/Dropout "head.dropout": rate must be in \[0, 1\)/);
  });

  test('SpatialDropout2d rejects a rank-2 input naming the layer', () => {
    expect(() => new SpatialDropout2d({ name: 'sd', rate: 0.1 }).apply(tf.ones([2, 3]), { training: true })).toThrow(
      /SpatialDropout2d "sd" \(input 2x3, NHWC\): expects a rank-4/,
    );
  });

  test('SpatialDropout2d rejects a rank-2 input when the model is built, not at the first training step', () => {
    expect(() => new SpatialDropout2d({ name: 'sd', rate: 0.1 }).apply(input({ shape: [3] }))).toThrow(
      /SpatialDropout2d "sd" \(input \?x3, NHWC\): expects a rank-4/,
    );
  });
});
