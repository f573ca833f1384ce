import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { edgeIndex } from '../cell-geometry.js';
import type { Genotype } from '../genotype.js';
import { PRIMITIVES } from '../primitives.js';
import type { LatencyTable } from './latency-table.js';

/**
 * The search network's expected latency under its alphas (FBNet's and ProxylessNAS's differentiable
 * cost, Wu et al. 2019, Cai et al. 2019): for each cell type, the sum over edges of
 * softmax(alpha_edge) . latency_edge. `alphas` are the normal then the reduce matrix.
 */
export function expectedLatency(alphas: [tf.Tensor, tf.Tensor], table: LatencyTable): tf.Scalar {
  return tf.tidy(() => {
    const [normal, reduce] = alphas;
    const cost = (alpha: tf.Tensor, latency: number[][]) => tf.sum(tf.mul(tf.softmax(alpha, -1), tf.tensor2d(latency)));
    return tf.add(cost(normal, table.normal), cost(reduce, table.reduce)) as tf.Scalar;
  });
}

/** The latency a table predicts for a discrete genotype: the sum of its chosen ops' entries (ms). */
export function predictedLatency(genotype: Genotype, table: LatencyTable): number {
  const cell = (edges: Genotype['normal'], latency: number[][]) =>
    edges.reduce((sum, [op, source], e) => sum + (latency[edgeIndex(Math.floor(e / 2), source)]?.[PRIMITIVES.indexOf(op)] as number), 0);
  return cell(genotype.normal, table.normal) + cell(genotype.reduce, table.reduce);
}

/** Refuses a latency table measured for another network shape than the search's. */
export function checkLatencyTableFits(
  table: LatencyTable,
  search: { channels: number; layers: number; inputShape: [number, number, number]; partialChannels: number },
  source: string,
): void {
  const want = `C=${search.channels}, ${search.layers} cells, ${search.inputShape.join('x')}, K=${search.partialChannels}`;
  const got = `C=${table.channels}, ${table.layers} cells, ${table.inputShape.join('x')}, K=${table.partialChannels}`;
  if (want !== got) {
    throw new ConvkitError(
      'bad-latency-table',
      `latency table ${source} was measured for ${got}, the search is ${want}; leave out --latency-table to measure one for this search`,
    );
  }
}
