import { ConvkitError } from '@convkit/core';
import { CELL_EDGES } from './cell-geometry.js';
import { isPrimitive, PRIMITIVES, type Primitive } from './primitives.js';
import { softmax } from './softmax.js';

/**
 * The operations still searched on each edge, per cell type: `normal[e]` lists edge e's candidates
 * in {@link PRIMITIVES} order, and they are the columns of that edge's alpha row. DARTS searches all
 * eight everywhere; P-DARTS's search-space approximation prunes them between stages.
 */
export interface CandidateOps {
  normal: Primitive[][];
  reduce: Primitive[][];
}

/** The whole search space: all eight primitives on all 14 edges of both cell types. */
export function allCandidateOps(): CandidateOps {
  const cell = () => Array.from({ length: CELL_EDGES }, () => [...PRIMITIVES]);
  return { normal: cell(), reduce: cell() };
}

/** The number of candidates every edge has (alpha matrices are rectangular), or a one-line error. */
export function candidatesPerEdge(ops: CandidateOps): number {
  const rows = [...ops.normal, ...ops.reduce];
  const count = rows[0]?.length ?? 0;
  const uneven = rows.length !== 2 * CELL_EDGES || rows.some((row) => row.length !== count);
  if (uneven || count < 2) {
    throw new ConvkitError(
      'bad-option',
      `candidate ops must give each of the ${CELL_EDGES} edges of both cells the same number (at least 2) of ops; got ${rows.map((r) => r.length).join(',')}`,
    );
  }
  for (const row of rows) {
    const known = row.every(isPrimitive);
    const ordered = row.every((op, i) => i === 0 || PRIMITIVES.indexOf(op) > PRIMITIVES.indexOf(row[i - 1] as Primitive));
    if (!known || !ordered) {
      throw new ConvkitError(
        'bad-option',
        `candidate ops [${row.join(', ')}] must be distinct primitives in the order ${PRIMITIVES.join(', ')}`,
      );
    }
  }
  return count;
}

/** Edge by edge, the `keep` candidates of `candidates` whose softmax(alpha) is largest (the earlier op wins a tie), in primitive order. */
function pruneCell(alpha: number[][], candidates: Primitive[][], keep: number): Primitive[][] {
  return alpha.map((row, e) => {
    const names = candidates[e] as Primitive[];
    const weights = softmax(row);
    const kept = names
      .map((_, k) => ({ k, weight: weights[k] as number }))
      .sort((a, b) => b.weight - a.weight || a.k - b.k)
      .slice(0, keep)
      .map(({ k }) => k)
      .sort((a, b) => a - b);
    return kept.map((k) => names[k] as Primitive);
  });
}

/**
 * P-DARTS's search-space approximation (Chen et al. 2019, Section 3.2): after a stage, each edge keeps
 * the `keep` candidates with the largest softmax(alpha) of that stage and drops the rest, so the next,
 * deeper stage searches fewer ops (8 -> 5 -> 3 in the paper). `none` competes like any op here, as
 * in the reference; the final genotype never picks it. `alphas.ops` names the columns (all eight when absent).
 */
export function pruneCandidateOps(
  alphas: { normal: number[][]; reduce: number[][]; ops?: CandidateOps | undefined },
  keep: number,
): CandidateOps {
  const ops = alphas.ops ?? allCandidateOps();
  const have = candidatesPerEdge(ops);
  if (!(Number.isInteger(keep) && keep >= 2 && keep < have)) {
    throw new ConvkitError('bad-option', `pruning keeps between 2 and ${have - 1} of the ${have} ops per edge, got ${keep}`);
  }
  return { normal: pruneCell(alphas.normal, ops.normal, keep), reduce: pruneCell(alphas.reduce, ops.reduce, keep) };
}
