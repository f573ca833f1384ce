import { createRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { CELL_EDGES, PRIMITIVES, SearchNetwork } from '../src/index.js';
import { figure, referenceCounts } from './support/reference-counts.js';
import './support/setup.js';

describe('the DARTS search network', () => {
  it(`has the reference's ${figure(referenceCounts.search.C16_layers8_classes10 as number)} weights at C=16, 8 cells, 10 classes`, () => {
    const net = new SearchNetwork({ channels: 16, layers: 8, numClasses: 10, inputShape: [8, 8, 3] }, createRng(0));
    expect(net.countWeights()).toBe(referenceCounts.search.C16_layers8_classes10);
    net.dispose();
  });

  it('keeps the alphas apart from the weights: one 14 x 8 trainable matrix per cell type', () => {
    const net = new SearchNetwork({ channels: 4, layers: 3, numClasses: 10, inputShape: [8, 8, 3] }, createRng(1));
    expect(net.countWeights()).toBe(referenceCounts.search.C4_layers3_classes10);
    expect(net.architectureParameters.map((a) => a.shape)).toEqual([
      [CELL_EDGES, PRIMITIVES.length],
      [CELL_EDGES, PRIMITIVES.length],
    ]);
    expect(CELL_EDGES * PRIMITIVES.length).toBe(referenceCounts.search.alphas_per_cell_type);
    const alphaIds = new Set(net.architectureParameters.map((a) => a.id));
    expect(net.weights.some((w) => alphaIds.has(w.id))).toBe(false);
    expect(net.architectureParameters.every((a) => a.trainable)).toBe(true);
    // initialised as the reference: 1e-3 * N(0, 1)
    const values = net.alphaValues().normal.flat();
    expect(Math.max(...values.map(Math.abs))).toBeLessThan(5e-3);
    expect(new Set(values).size).toBe(values.length);
    net.dispose();
  });

  it('gives logits whose value depends on the alphas, and gradients to both parameter groups', () => {
    const net = new SearchNetwork({ channels: 4, layers: 3, numClasses: 5, inputShape: [8, 8, 3] }, createRng(2));
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 3);
    const before = net.forward(x);
    expect(before.shape).toEqual([4, 5]);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(net.forward(x))) as tf.Scalar,
      [...net.weights, ...net.architectureParameters],
    );
    const normalGrad = grads[net.alphas.normal.name] as tf.Tensor;
    expect(tf.norm(normalGrad).dataSync()[0]).toBeGreaterThan(0);
    expect(tf.norm(grads[net.alphas.reduce.name] as tf.Tensor).dataSync()[0]).toBeGreaterThan(0);
    net.alphas.normal.assign(tf.randomNormal([CELL_EDGES, PRIMITIVES.length], 0, 3, 'float32', 4));
    const after = net.forward(x);
    expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBeGreaterThan(1e-3);
    net.dispose();
  });

  it('refuses an image size its reductions cannot halve, naming the multiple it needs', () => {
    expect(() => new SearchNetwork({ channels: 4, layers: 3, numClasses: 10, inputShape: [10, 10, 3] }, createRng(0))).toThrowError(
      /must be multiples of 4; got 10x10/,
    );
  });
});
