import * as tf from '@tensorflow/tfjs-core';
import type { SearchBatch } from './search-batch.js';

/**
 * What the bi-level optimisation needs of a model: its two parameter groups and a loss of a batch
 * read from their current values. {@link SearchNetwork} is one; the architecture gradient is
 * written against this so it can also be checked on a small smooth model.
 */
export interface BilevelModel {
  /** The network weights, optimized on the training half. */
  readonly weights: tf.Variable[];
  /** The architecture parameters (alphas), optimized on the held-out half. */
  readonly architectureParameters: tf.Variable[];
  /** The training-mode loss of a batch at the variables' current values. */
  loss(batch: SearchBatch): tf.Scalar;
  /**
   * The loss of a batch and its gradients with respect to `variables`, in their order, where the
   * model has a cheaper way than a tape over {@link BilevelModel.loss} (the search network
   * recomputes its cells' activations); without it, {@link lossGradients} takes `tf.variableGrads`.
   */
  lossGradients?(batch: SearchBatch, variables: readonly tf.Variable[]): { value: tf.Scalar; gradients: tf.Tensor[] };
}

/** The training-mode loss of `batch` and its gradients with respect to `variables` (in their order), as the model takes them. */
export function lossGradients(
  model: BilevelModel,
  batch: SearchBatch,
  variables: readonly tf.Variable[],
): { value: tf.Scalar; gradients: tf.Tensor[] } {
  if (model.lossGradients) return model.lossGradients(batch, variables);
  const { value, grads } = tf.variableGrads(() => model.loss(batch), [...variables]);
  return { value, gradients: variables.map((v) => grads[v.name] as tf.Tensor) };
}
