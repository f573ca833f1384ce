import type * as tf from '@tensorflow/tfjs-core';
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
}
