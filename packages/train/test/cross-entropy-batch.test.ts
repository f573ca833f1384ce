import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, toProbabilities, weightedLoss } from '../src/train/loss.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const value = (t: tf.Tensor) => t.dataSync()[0] as number;
const e = Math.E;

// Three images, three classes, worked by hand: row i's loss is -log softmax(z_i)[y_i].
const logits = [
  [2, 0, 0],
  [0, 1, 0],
  [0, 0, 3],
];
const truth = [0, 1, 0];
const rowLosses = [-Math.log(e ** 2 / (e ** 2 + 2)), -Math.log(e / (e + 2)), -Math.log(1 / (2 + e ** 3))];
const mean = (rows: number[]) => rows.reduce((a, b) => a + b, 0) / rows.length;
const logSoftmax = logits.map((z) => z.map((v) => v - Math.log(z.reduce((s, u) => s + Math.exp(u), 0))));
/** log p of class k for image i. */
const logP = (i: number, k: number) => (logSoftmax[i] as number[])[k] as number;
const oneHot = truth.map((t) => [0, 1, 2].map((k) => (k === t ? 1 : 0)));

describe('cross-entropy on a batch of several images', () => {
  it('is the mean of the per-image losses, not their sum', () => {
    const loss = value(crossEntropy(tf.tensor2d(logits), tf.tensor2d(oneHot), 'logits'));
    expect(loss).toBeCloseTo(mean(rowLosses), 6);
    expect(loss).toBeCloseTo(1.2953041, 6);
  });

  it('with label smoothing e, each row is -(1 - e + e/K) log p_y - (e/K) sum of the other log p', () => {
    const epsilon = 0.3;
    const rows = truth.map((y, i) => -[0, 1, 2].reduce((s, k) => s + ((k === y ? 1 - epsilon : 0) + epsilon / 3) * logP(i, k), 0));
    const loss = value(crossEntropy(tf.tensor2d(logits), tf.tensor2d(oneHot), 'logits', epsilon));
    expect(loss).toBeCloseTo(mean(rows), 6);
  });

  it('of probabilities, clips to [1e-7, 1 - 1e-7] like Keras so a confident miss costs -log 1e-7', () => {
    const probabilities = tf.tensor2d([
      [1, 0, 0],
      [0.25, 0.5, 0.25],
    ]);
    const loss = value(crossEntropy(probabilities, tf.tensor2d([oneHot[1] as number[], oneHot[1] as number[]]), 'probabilities'));
    expect(loss).toBeCloseTo((-Math.log(1e-7) - Math.log(0.5)) / 2, 4);
  });

  it('soft labels (mixup) weigh each class log-probability by the label weight', () => {
    const soft = tf.tensor2d([
      [0.7, 0.3, 0],
      [0, 0.5, 0.5],
      [1, 0, 0],
    ]);
    const expected = -(0.7 * logP(0, 0) + 0.3 * logP(0, 1) + 0.5 * logP(1, 1) + 0.5 * logP(1, 2) + logP(2, 0)) / 3;
    expect(value(crossEntropy(tf.tensor2d(logits), soft, 'logits'))).toBeCloseTo(expected, 6);
  });

  it('weighted loss of two heads on a batch is w1 * mean CE1 + w2 * mean CE2', () => {
    const second = [
      [0, 0, 0],
      [1, 0, 0],
      [0, 2, 0],
    ];
    const secondRows = [Math.log(3), -Math.log(1 / (e + 2)), -Math.log(1 / (e ** 2 + 2))];
    const total = value(weightedLoss([tf.tensor2d(logits), tf.tensor2d(second)], tf.tensor2d(oneHot), ['logits', 'logits'], [0.5, 2], 0));
    expect(total).toBeCloseTo(0.5 * mean(rowLosses) + 2 * mean(secondRows), 6);
  });

  it('a certain hit costs -log(1 - 1e-7), the clip, not 0: probabilities are clipped below 1 too', () => {
    const loss = value(crossEntropy(tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[0, 1, 0]]), 'probabilities'));
    expect(loss).toBeGreaterThan(5e-8);
    expect(loss).toBeLessThan(2e-7);
  });

  it('toProbabilities takes the softmax of logits and passes probabilities through', () => {
    const z = tf.tensor2d(logits);
    const fromLogits = toProbabilities(z, 'logits').arraySync() as number[][];
    logits.forEach((row, i) => {
      const total = row.reduce((s, v) => s + Math.exp(v), 0);
      for (const [k, v] of row.entries()) expect(fromLogits[i]?.[k]).toBeCloseTo(Math.exp(v) / total, 6);
    });
    expect(toProbabilities(z, 'probabilities').arraySync()).toEqual(logits);
  });
});
