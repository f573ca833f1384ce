import { createRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BilevelOptimizer, type SearchBatch, SearchNetwork } from '../src/index.js';
import { SmoothBilevelModel } from './support/smooth-bilevel-model.js';
import './support/setup.js';

function batch(seed: number, size: number, side: number, classes: number): SearchBatch {
  return {
    images: tf.randomNormal([size, side, side, 3], 0, 1, 'float32', seed) as tf.Tensor4D,
    labels: tf.cast(
      tf.oneHot(
        Array.from({ length: size }, (_, i) => (i + seed) % classes),
        classes,
      ),
      'float32',
    ) as tf.Tensor2D,
  };
}

const values = (variables: tf.Variable[]) => variables.map((v) => Array.from(v.dataSync()));

describe('the bi-level optimizer', () => {
  it('anneals the weights learning rate by cosine from 0.025 to 0.001 over the epochs, as the reference', () => {
    const model = new SmoothBilevelModel(12, 4, 3, 1);
    const optimizer = new BilevelOptimizer(model, { order: 1, epochs: 10 });
    expect(optimizer.weightLearningRate(0)).toBeCloseTo(0.025, 12);
    expect(optimizer.weightLearningRate(5)).toBeCloseTo(0.013, 12);
    expect(optimizer.weightLearningRate(10)).toBeCloseTo(0.001, 12);
    model.dispose();
  });

  it.each([1, 2] as const)('order %i: the architecture step moves only the alphas, the weight step only the weights', async (order) => {
    const model = new SmoothBilevelModel(12, 4, 3, 2);
    const train = batch(1, 8, 2, 3);
    const validation = batch(2, 8, 2, 3);
    const optimizer = new BilevelOptimizer(model, { order, epochs: 4 });
    const [w0, a0] = [values(model.weights), values(model.architectureParameters)];
    const validationLoss = await optimizer.architectureStep(train, validation, 0);
    expect(values(model.weights)).toEqual(w0);
    const a1 = values(model.architectureParameters);
    expect(a1).not.toEqual(a0);
    const trainLoss = await optimizer.weightStep(train, 0);
    expect(values(model.architectureParameters)).toEqual(a1);
    expect(values(model.weights)).not.toEqual(w0);
    expect(Number.isFinite(validationLoss) && Number.isFinite(trainLoss)).toBe(true);
    optimizer.dispose();
    model.dispose();
    tf.dispose([train.images, train.labels, validation.images, validation.labels]);
  });

  it('restores both optimizers: a restored copy takes the same next second-order step, bit for bit', async () => {
    const run = async (restoreAfter: number | undefined) => {
      const model = new SmoothBilevelModel(12, 4, 3, 3);
      const train = batch(1, 8, 2, 3);
      const validation = batch(2, 8, 2, 3);
      let optimizer = new BilevelOptimizer(model, { order: 2, epochs: 4 });
      for (let i = 0; i < 3; i++) {
        if (i === restoreAfter) {
          const state = await optimizer.getState();
          optimizer.dispose();
          optimizer = new BilevelOptimizer(model, { order: 2, epochs: 4 });
          optimizer.setState(state);
        }
        await optimizer.step(train, validation, i);
      }
      const result = [...values(model.weights), ...values(model.architectureParameters)];
      optimizer.dispose();
      model.dispose();
      tf.dispose([train.images, train.labels, validation.images, validation.labels]);
      return result;
    };
    expect(await run(2)).toEqual(await run(undefined));
  });

  it('takes first- and second-order steps on a DARTS search network', async () => {
    for (const order of [1, 2] as const) {
      const net = new SearchNetwork({ channels: 2, layers: 3, numClasses: 3, inputShape: [4, 4, 3] }, createRng(4));
      const train = batch(1, 4, 4, 3);
      const validation = batch(2, 4, 4, 3);
      const optimizer = new BilevelOptimizer(net, { order, epochs: 2 });
      const before = net.alphaValues();
      const { trainLoss, validationLoss } = await optimizer.step(train, validation, 0);
      expect(Number.isFinite(trainLoss) && Number.isFinite(validationLoss)).toBe(true);
      expect(net.alphaValues().normal).not.toEqual(before.normal);
      expect(net.alphaValues().reduce).not.toEqual(before.reduce);
      optimizer.dispose();
      net.dispose();
      tf.dispose([train.images, train.labels, validation.images, validation.labels]);
    }
  });

  it('refuses an order other than 1 or 2, naming the flag', () => {
    const model = new SmoothBilevelModel(12, 4, 3, 1);
    expect(() => new BilevelOptimizer(model, { order: 3 as 1, epochs: 1 })).toThrowError(
      /DARTS order must be 1 or 2, got 3; use --order 1/,
    );
    model.dispose();
  });
});
