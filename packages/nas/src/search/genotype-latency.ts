import { edgeIndex } from '../cell-geometry.js';
import type { Genotype } from '../genotype.js';
import { PRIMITIVES } from '../primitives.js';
import { type LatencyMeasureOptions, type LatencyTable, latencyCells, type TimedOp, timeOps } from './latency-table.js';

/** The shapes of a latency table, as {@link measureGenotypeLatency} measures a genotype at them. */
export type LatencyShapes = Pick<LatencyTable, 'batch' | 'channels' | 'layers' | 'inputShape' | 'partialChannels'>;

/**
 * A genotype's measured latency (ms) on the current backend at a latency table's shapes: in every
 * cell of the search network, the genotype's eight chosen ops, each at its edge's input shape and
 * stride, run together in one timed call ({@link timeOps}, as the table times each op alone), summed
 * over the cells; cells of one type at one shape are timed once. Where the table's prediction adds
 * up separate calls, this is what the chosen ops cost run as one cell, so the two differ by the
 * per-call overhead the prediction counts eight times and by the backend running the ops together.
 * Preprocessing and the node sums are left out of both.
 */
export async function measureGenotypeLatency(
  genotype: Genotype,
  shapes: LatencyShapes,
  options: Pick<LatencyMeasureOptions, 'repeats' | 'clock'> = {},
): Promise<number> {
  const measured = new Map<string, number>();
  let total = 0;
  for (const cell of latencyCells(shapes)) {
    const genes = cell.reduction ? genotype.reduce : genotype.normal;
    const ops = genes.map(([op, source], i): TimedOp => {
      const edge = cell.edges[edgeIndex(Math.floor(i / 2), source)] as (typeof cell.edges)[number];
      return { op: PRIMITIVES.indexOf(op), ...edge };
    });
    const key = JSON.stringify(ops);
    let ms = measured.get(key);
    if (ms === undefined) {
      ms = await timeOps(ops, options);
      measured.set(key, ms);
    }
    total += ms;
  }
  return total;
}
