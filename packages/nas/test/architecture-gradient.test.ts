import { createRng, initBackend } from '@convkit/core';
import { testBackends } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BilevelModel,
  firstOrderGradient,
  type SearchBatch,
  SearchNetwork,
  secondOrderGradient,
  type VirtualStep,
  withValues,
} from '../src/index.js';
import { randomBatch } from './support/random-batch.js';
import { SmoothBilevelModel } from './support/smooth-bilevel-model.js';
import './support/setup.js';

const CLASSES = 3;

const batch = (seed: number, size: number, side: number) => randomBatch(seed, size, side, CLASSES);

/** The validation loss after the virtual step, written out from its definition (not with the code under test). */
function unrolledValidationLoss(model: BilevelModel, train: SearchBatch, validation: SearchBatch, step: VirtualStep): number {
  return tf.tidy(() => {
    const weights = model.weights;
    const { grads } = tf.variableGrads(() => model.loss(train), weights);
    const unrolled = weights.map((w, i) => {
      const decay = w.rank > 1 ? tf.mul(w, step.weightDecay) : tf.zerosLike(w);
      const momentum = tf.mul(step.velocity?.[i] as tf.Tensor, step.momentum);
      return tf.sub(w, tf.mul(tf.addN([grads[w.name] as tf.Tensor, decay, momentum]), step.learningRate));
    });
    return withValues(weights, unrolled, () => model.loss(validation).dataSync()[0] as number);
  });
}

/** d/dt f(alpha + t d) at 0 by central differences of steps h and h/2 with one Richardson extrapolation (error O(h^4)). */
function directionalDerivative(model: BilevelModel, direction: tf.Tensor[], f: () => number, h: number): number {
  const alphas = model.architectureParameters;
  const base = alphas.map((a) => tf.clone(a));
  const at = (t: number) => {
    alphas.forEach((a, i) => {
      a.assign(tf.tidy(() => tf.add(base[i] as tf.Tensor, tf.mul(direction[i] as tf.Tensor, t))));
    });
    return f();
  };
  const central = (t: number) => (at(t) - at(-t)) / (2 * t);
  const estimate = (4 * central(h / 2) - central(h)) / 3;
  alphas.forEach((a, i) => {
    a.assign(base[i] as tf.Tensor);
  });
  tf.dispose(base);
  return estimate;
}

/** Every alpha's partial derivative of f by {@link directionalDerivative} along its unit vector. */
function numericGradient(model: BilevelModel, f: () => number, h: number): number[] {
  const partials: number[] = [];
  model.architectureParameters.forEach((alpha, i) => {
    for (let k = 0; k < alpha.size; k++) {
      const unit = model.architectureParameters.map((a, j) =>
        tf.tidy(() => (j === i ? tf.reshape(tf.oneHot([k], a.size), a.shape) : tf.zerosLike(a))),
      );
      partials.push(directionalDerivative(model, unit, f, h));
      tf.dispose(unit);
    }
  });
  return partials;
}

/** ||a - b|| / ||b|| of two flattened gradients. */
function vectorRelativeError(a: tf.Tensor[], b: number[]): number {
  const flat = a.flatMap((t) => Array.from(t.dataSync()));
  const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  return norm(flat.map((x, i) => x - (b[i] as number))) / norm(b);
}

function dot(a: tf.Tensor[], b: tf.Tensor[]): number {
  const sum = tf.tidy(() => tf.addN(a.map((x, i) => tf.sum(tf.mul(x, b[i] as tf.Tensor)))));
  const value = sum.dataSync()[0] as number;
  sum.dispose();
  return value;
}
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
const randomDirections = (model: BilevelModel, seed: number) =>
  [0, 1].map((k) => model.architectureParameters.map((a, i) => tf.randomNormal(a.shape, 0, 1, 'float32', seed + 10 * k + i)));
const validationLoss = (model: BilevelModel, validation: SearchBatch) => () =>
  tf.tidy(() => model.loss(validation).dataSync()[0] as number);

describe.each(await testBackends())('the architecture gradient on %s', (backend) => {
  beforeAll(() => initBackend(backend));

  describe('of a small smooth mixed-op model', () => {
    let model: SmoothBilevelModel;
    let train: SearchBatch;
    let validation: SearchBatch;
    let step: VirtualStep;

    beforeAll(() => {
      model = new SmoothBilevelModel(12, 6, CLASSES, 5);
      train = batch(1, 8, 2);
      validation = batch(2, 8, 2);
      step = {
        learningRate: 0.1,
        momentum: 0.9,
        weightDecay: 3e-4,
        velocity: model.weights.map((w, i) => tf.randomNormal(w.shape, 0, 0.1, 'float32', 100 + i)),
      };
    });

    afterAll(() => {
      model.dispose();
      tf.dispose([train.images, train.labels, validation.images, validation.labels, ...(step.velocity ?? [])]);
    });

    it('first order: dL_val/dalpha equals finite differences of the validation loss within 1e-3 relative', () => {
      const { loss, gradients } = firstOrderGradient(model, validation);
      const numeric = numericGradient(model, validationLoss(model, validation), 1e-2);
      expect(vectorRelativeError(gradients, numeric)).toBeLessThan(1e-3);
      tf.dispose([loss, ...gradients]);
    });

    it('second order: the hypergradient equals finite differences of L_val(w - xi (mu v + dL_train/dw + lambda w), alpha) within 1e-3 relative', () => {
      const weightsBefore = model.weights.map((w) => w.dataSync().slice());
      const { loss, gradients } = secondOrderGradient(model, train, validation, step);
      const firstOrder = firstOrderGradient(model, validation);
      const numeric = numericGradient(model, () => unrolledValidationLoss(model, train, validation, step), 1e-2);
      expect(vectorRelativeError(gradients, numeric)).toBeLessThan(1e-3);
      // the unrolled term matters here: the first-order gradient misses the same derivative by far more
      expect(vectorRelativeError(firstOrder.gradients, numeric)).toBeGreaterThan(1e-2);
      expect(loss.dataSync()[0]).toBeCloseTo(unrolledValidationLoss(model, train, validation, step), 5);
      model.weights.forEach((w, i) => {
        expect(w.dataSync()).toEqual(weightsBefore[i]);
      });
      tf.dispose([loss, ...gradients, firstOrder.loss, ...firstOrder.gradients]);
    });
  });

  describe('of a DARTS search network (C=2, 3 cells, 4x4 images)', () => {
    let net: SearchNetwork;
    let train: SearchBatch;
    let validation: SearchBatch;

    beforeAll(() => {
      net = new SearchNetwork({ channels: 2, layers: 3, numClasses: CLASSES, inputShape: [4, 4, 3] }, createRng(7));
      net.alphas.normal.assign(tf.randomNormal(net.alphas.normal.shape, 0, 0.3, 'float32', 11));
      net.alphas.reduce.assign(tf.randomNormal(net.alphas.reduce.shape, 0, 0.3, 'float32', 12));
      train = batch(1, 4, 4);
      validation = batch(2, 4, 4);
    });

    afterAll(() => {
      net.dispose();
      tf.dispose([train.images, train.labels, validation.images, validation.labels]);
    });

    it('first order: equals finite differences of the validation loss (a small step, between the ReLU kinks)', () => {
      const { loss, gradients } = firstOrderGradient(net, validation);
      const directions = randomDirections(net, 20);
      for (const direction of [...directions, gradients]) {
        const numeric = directionalDerivative(net, direction, validationLoss(net, validation), 1e-4);
        // float32 rounding of a loss near 1.5 over a step this small bounds the estimate to a few 1e-3;
        // a larger step crosses ReLU and max-pool kinks, where the loss bends sharply
        expect(relative(dot(gradients, direction), numeric)).toBeLessThan(5e-3);
      }
      tf.dispose([loss, ...gradients, ...directions.flat()]);
    });

    it('second order at xi = 0 is the first-order gradient, and both alpha matrices get one', () => {
      const { loss, gradients } = secondOrderGradient(net, train, validation, {
        learningRate: 0,
        momentum: 0.9,
        weightDecay: 3e-4,
        velocity: undefined,
      });
      const firstOrder = firstOrderGradient(net, validation);
      gradients.forEach((g, i) => {
        expect(tf.norm(g).dataSync()[0]).toBeGreaterThan(0);
        expect(Array.from(g.dataSync())).toEqual(Array.from((firstOrder.gradients[i] as tf.Tensor).dataSync()));
      });
      tf.dispose([loss, ...gradients, firstOrder.loss, ...firstOrder.gradients]);
    });
  });
});
