import * as tf from '@tensorflow/tfjs-core';
import { CELL_MULTIPLIER, CELL_STEPS, type CellPlan } from './cell-geometry.js';
import { factorizedReduce } from './factorized-reduce.js';
import { type MixedOp, type MixedOpOptions, mixedOp } from './mixed-op.js';
import { type Primitive, reluConvBn } from './primitives.js';
import type { RunFlags, Unit } from './unit.js';

/**
 * A search cell: both inputs brought to the cell's width (a factorized reduce for the first after a
 * reduction cell, ReLU-conv-BN otherwise, all without affine), then node i = the sum of mixed ops on
 * every earlier state (the two inputs and nodes 0..i-1), output the concatenation of the last
 * {@link CELL_MULTIPLIER} nodes. `weights[e][k]` is softmax(alpha)[e][k] of edge e, primitive k.
 * With `edgeWeights` (PC-DARTS's edge normalization) each edge's output is scaled by its weight
 * before the node sums them.
 */
export type SearchCell = (s0: tf.Tensor, s1: tf.Tensor, weights: tf.Scalar[][], flags: RunFlags, edgeWeights?: tf.Scalar[]) => tf.Tensor;

/**
 * Builds the search cell of `plan`, its layers named under `prefix`; `options` shape every mixed op,
 * and `edgeOps[e]` (all eight primitives when absent) are edge e's candidates.
 */
export function searchCell(
  prefix: string,
  plan: CellPlan,
  options: Omit<MixedOpOptions, 'ops'> = {},
  edgeOps?: readonly (readonly Primitive[])[],
): SearchCell {
  const pre0: Unit = plan.reductionPrev
    ? factorizedReduce(`${prefix}.preprocess0`, plan.channels, false)
    : reluConvBn(`${prefix}.preprocess0`, plan.channels, false);
  const pre1 = reluConvBn(`${prefix}.preprocess1`, plan.channels, false);
  const edges: MixedOp[] = [];
  for (let node = 0; node < CELL_STEPS; node++) {
    for (let source = 0; source < node + 2; source++) {
      const stride = plan.reduction && source < 2 ? 2 : 1;
      const context = { channels: plan.channels, stride, affine: false, search: true } as const;
      const ops = edgeOps?.[edges.length];
      edges.push(mixedOp(`${prefix}.node${node}.edge${source}`, context, ops ? { ...options, ops } : options));
    }
  }
  return (s0, s1, weights, flags, edgeWeights) => {
    const states = [pre0(s0, flags) as tf.Tensor, pre1(s1, flags) as tf.Tensor];
    let edge = 0;
    for (let node = 0; node < CELL_STEPS; node++) {
      const inputs = states.map((state) => {
        const mixed = (edges[edge] as MixedOp)(state, weights[edge] as tf.Scalar[], flags);
        const out = edgeWeights ? tf.mul(edgeWeights[edge] as tf.Scalar, mixed) : mixed;
        edge += 1;
        return out;
      });
      states.push(tf.addN(inputs));
    }
    return tf.concat(states.slice(-CELL_MULTIPLIER), -1);
  };
}
