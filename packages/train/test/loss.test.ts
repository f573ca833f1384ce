import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, defaultLossWeights, weightedLoss } from '../src/train/loss.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const value = (t: tf.Tensor) => t.dataSync()[0] as number;

describe('losses', () => {
  const labels = tf.tensor2d([[0, 1, 0]]);
  const logits = tf.tensor2d([[1, 2, 0.5]]);

  it('cross-entropy of logits equals that of their softmax probabilities', () => {
    const fromLogits = value(crossEntropy(logits, labels, 'logits'));
    const fromProbabilities = value(crossEntropy(tf.softmax(logits), labels, 'probabilities'));
    expect(fromLogits).toBeCloseTo(fromProbabilities, 5);
    expect(fromLogits).toBeCloseTo(-Math.log(Math.exp(2) / (Math.exp(1) + Math.exp(2) + Math.exp(0.5))), 5);
  });

  it('label smoothing mixes the target with the uniform distribution', () => {
    const smoothed = value(crossEntropy(logits, labels, 'logits', 0.3));
    const logP = tf.logSoftmax(logits).dataSync();
    const expected = -(0.1 * (logP[0] as number) + 0.8 * (logP[1] as number) + 0.1 * (logP[2] as number));
    expect(smoothed).toBeCloseTo(expected, 5);
  });

  it("weights GoogLeNet's auxiliary heads at 0.3 by default: main + 0.3 (aux1 + aux2)", () => {
    expect(defaultLossWeights(3)).toEqual([1, 0.3, 0.3]);
    const aux1 = tf.tensor2d([[0, 0, 3]]);
    const aux2 = tf.tensor2d([[2, 0, 0]]);
    const total = value(weightedLoss([logits, aux1, aux2], labels, ['logits', 'logits', 'logits'], defaultLossWeights(3), 0));
    const each = [logits, aux1, aux2].map((o) => value(crossEntropy(o, labels, 'logits')));
    expect(total).toBeCloseTo((each[0] as number) + 0.3 * ((each[1] as number) + (each[2] as number)), 5);
  });

  it('a single output at weight 1 is exactly its cross-entropy; other weights still apply', () => {
    expect(value(weightedLoss([logits], labels, ['logits'], [1], 0))).toBe(value(crossEntropy(logits, labels, 'logits')));
    const half = value(weightedLoss([logits], labels, ['logits'], [0.5], 0));
    expect(half).toBeCloseTo(0.5 * value(crossEntropy(logits, labels, 'logits')), 6);
  });
});
