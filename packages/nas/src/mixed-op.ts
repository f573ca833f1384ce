import * as tf from '@tensorflow/tfjs-core';
import { type OpContext, PRIMITIVES, primitive } from './primitives.js';
import type { RunFlags, Unit } from './unit.js';

/**
 * One edge of the search network: every primitive of {@link PRIMITIVES} on the same input, summed
 * with the weights `softmax(alpha_edge)` (Eq. 2 of the paper), which the caller passes as one scalar
 * per primitive. `none` outputs zero, so its term is left out; its weight still normalizes the rest.
 */
export type MixedOp = (x: tf.Tensor, weights: tf.Scalar[], flags: RunFlags) => tf.Tensor;

/** Builds a mixed op whose layers are named `${prefix}.<primitive>`. */
export function mixedOp(prefix: string, context: OpContext): MixedOp {
  const ops = PRIMITIVES.map((name) => primitive(name, `${prefix}.${name}`, context));
  return (x, weights, flags) => {
    let sum: tf.Tensor | undefined;
    ops.forEach((op: Unit | null, k) => {
      if (!op) return;
      const term = tf.mul(weights[k] as tf.Scalar, op(x, flags) as tf.Tensor);
      sum = sum ? tf.add(sum, term) : term;
    });
    return sum as tf.Tensor;
  };
}
