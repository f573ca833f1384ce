import * as tf from '@tensorflow/tfjs-core';
import { type BilevelModel, lossGradients } from './bilevel-model.js';
import type { SearchBatch } from './search-batch.js';
import { withValues } from './weight-swap.js';

/** The weight update the second-order gradient unrolls: one SGD step as the weight optimizer takes it. */
export interface VirtualStep {
  /** The weights' current learning rate (the paper's xi). */
  learningRate: number;
  momentum: number;
  /** Coupled L2 penalty, on weights of rank > 1 as the weight optimizer applies it. */
  weightDecay: number;
  /** The weight optimizer's momentum buffers in `model.weights` order; undefined before its first step. */
  velocity: readonly tf.Tensor[] | undefined;
}

/**
 * First-order DARTS (the paper's xi = 0): the gradient of the validation loss with respect to the
 * alphas (in `model.architectureParameters` order) at the current weights.
 */
export function firstOrderGradient(model: BilevelModel, validation: SearchBatch): { loss: tf.Scalar; gradients: tf.Tensor[] } {
  const { value, gradients } = lossGradients(model, validation, model.architectureParameters);
  return { loss: value, gradients };
}

/**
 * The weights after the virtual step w' = w - xi (mu v + dL_train/dw + lambda w), in
 * `model.weights` order.
 */
export function virtualWeights(model: BilevelModel, train: SearchBatch, step: VirtualStep): tf.Tensor[] {
  return tf.tidy(() => {
    const weights = model.weights;
    const { gradients } = lossGradients(model, train, weights);
    return weights.map((w, i) => {
      let direction = gradients[i] as tf.Tensor;
      if (step.weightDecay > 0 && w.rank > 1) direction = tf.add(direction, tf.mul(w, step.weightDecay));
      const v = step.velocity?.[i];
      if (v) direction = tf.add(direction, tf.mul(v, step.momentum));
      return tf.sub(w, tf.mul(direction, step.learningRate));
    });
  });
}

/**
 * Second-order DARTS (Eq. 7 and 8 of the paper): the gradient of L_val(w', alpha) with respect to
 * alpha, w' the virtual step, which is dL_val/dalpha at w' minus xi times the Hessian-vector
 * product d2L_train/(dalpha dw) . dL_val/dw', the latter by central finite differences at
 * w +- epsilon dL_val/dw' with epsilon = 0.01 / ||dL_val/dw'||. Alphas, weights and the loss are
 * left as they were; the returned loss is the validation loss at w'.
 */
export function secondOrderGradient(
  model: BilevelModel,
  train: SearchBatch,
  validation: SearchBatch,
  step: VirtualStep,
): { loss: tf.Scalar; gradients: tf.Tensor[] } {
  return tf.tidy(() => {
    const weights = model.weights;
    const alphas = model.architectureParameters;
    const unrolled = virtualWeights(model, train, step);
    const atVirtual = withValues(weights, unrolled, () => lossGradients(model, validation, [...alphas, ...weights]));
    const alphaGradients = atVirtual.gradients.slice(0, alphas.length);
    const weightGradients = atVirtual.gradients.slice(alphas.length);
    const norm = tf.sqrt(tf.addN(weightGradients.map((g) => tf.sum(tf.square(g))))).dataSync()[0] as number;
    const epsilon = 0.01 / norm;
    const trainAlphaGradientsAt = (sign: 1 | -1) =>
      withValues(
        weights,
        weights.map((w, i) => tf.add(w, tf.mul(weightGradients[i] as tf.Tensor, sign * epsilon))),
        () => lossGradients(model, train, alphas).gradients,
      );
    const plus = trainAlphaGradientsAt(1);
    const minus = trainAlphaGradientsAt(-1);
    const gradients = alphaGradients.map((g, i) =>
      tf.sub(g, tf.mul(tf.sub(plus[i] as tf.Tensor, minus[i] as tf.Tensor), step.learningRate / (2 * epsilon))),
    );
    return { loss: atVirtual.value, gradients };
  });
}
