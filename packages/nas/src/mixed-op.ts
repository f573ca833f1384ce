import * as tf from '@tensorflow/tfjs-core';
import { channelShuffle } from './partial-channels.js';
import { type OpContext, PRIMITIVES, type Primitive, primitive } from './primitives.js';
import { identity, type RunFlags, type Unit } from './unit.js';

/**
 * One edge of the search network: every candidate primitive (all of {@link PRIMITIVES} unless pruned)
 * on the same input, summed with the weights `softmax(alpha_edge)` (Eq. 2 of the paper), which the
 * caller passes as one scalar per candidate. `none` outputs zero, so its term is left out; its weight still normalizes the rest.
 */
export type MixedOp = (x: tf.Tensor, weights: tf.Scalar[], flags: RunFlags) => tf.Tensor;

/** How a mixed op is built beyond its op context. */
export interface MixedOpOptions {
  /**
   * PC-DARTS's sampling ratio K (Xu et al. 2020, Section 3.2): only the first C/K channels go through
   * the ops (built at C/K channels, so memory and compute fall about K-fold); the other channels
   * bypass them (max-pooled 2x2 at stride 2), are concatenated back, and the result is channel-shuffled
   * in K groups. 1 (the default) is DARTS's full mixed op.
   */
  partialChannels?: number;
  /** The edge's candidates in {@link PRIMITIVES} order (all eight by default); the weights are one per candidate. */
  ops?: readonly Primitive[];
}

/** Seeds of dropout masks: tfjs takes any number and hashes it. */
const SEED_RANGE = 2 ** 31;

/**
 * The identity with P-DARTS's operation-level dropout (Section 3.3): in training, when the flags ask
 * for it, elements are zeroed at the flags' rate and the rest scaled by 1 / (1 - rate); otherwise it
 * passes its input through. Only the stride-1 skip is an identity, so only it gets dropout, as in the reference.
 */
const droppedIdentity: Unit = (x, flags) => {
  const dropout = flags?.skipDropout;
  if (!flags?.training || !dropout || dropout.rate === 0) return x;
  return tf.dropout(x as tf.Tensor, dropout.rate, undefined, dropout.rng.int(SEED_RANGE));
};

/** Builds a mixed op whose layers are named `${prefix}.<primitive>`. */
export function mixedOp(prefix: string, context: OpContext, options: MixedOpOptions = {}): MixedOp {
  const k = options.partialChannels ?? 1;
  const sampled = context.channels / k;
  const ops = (options.ops ?? PRIMITIVES).map((name) => {
    const op = primitive(name, `${prefix}.${name}`, { ...context, channels: sampled });
    return op === identity ? droppedIdentity : op;
  });
  const weightedSum = (x: tf.Tensor, weights: tf.Scalar[], flags: RunFlags) => {
    let sum: tf.Tensor | undefined;
    ops.forEach((op: Unit | null, i) => {
      if (!op) return;
      const term = tf.mul(weights[i] as tf.Scalar, op(x, flags) as tf.Tensor);
      sum = sum ? tf.add(sum, term) : term;
    });
    return sum as tf.Tensor;
  };
  if (k === 1) return weightedSum;
  return (x, weights, flags) => {
    const [through, bypass] = tf.split(x as tf.Tensor4D, [sampled, context.channels - sampled], -1) as [tf.Tensor4D, tf.Tensor4D];
    const kept = context.stride === 2 ? tf.maxPool(bypass, 2, 2, 'valid') : bypass;
    return channelShuffle(tf.concat([weightedSum(through, weights, flags) as tf.Tensor4D, kept], -1), k);
  };
}
