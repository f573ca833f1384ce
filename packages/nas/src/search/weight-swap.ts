import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` with `variables` temporarily holding `values` (the architecture step evaluates the
 * network at the virtual step and at w +- epsilon v without a second copy of the model), then puts
 * the original values back. The caller owns `values`.
 */
export function withValues<T>(variables: readonly tf.Variable[], values: readonly tf.Tensor[], fn: () => T): T {
  const saved = variables.map((v) => tf.clone(v));
  variables.forEach((v, i) => {
    v.assign(values[i] as tf.Tensor);
  });
  try {
    return fn();
  } finally {
    variables.forEach((v, i) => {
      v.assign(saved[i] as tf.Tensor);
    });
    tf.dispose(saved);
  }
}
