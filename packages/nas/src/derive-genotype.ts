import { ConvkitError } from '@convkit/core';
import { allCandidateOps, type CandidateOps } from './candidate-ops.js';
import { CELL_STEPS, edgeIndex } from './cell-geometry.js';
import type { Genotype, GenotypeEdge } from './genotype.js';
import type { Primitive } from './primitives.js';
import { softmax } from './softmax.js';

/** What a genotype is derived from: alpha rows whose columns are `ops` (all eight primitives when absent), and PC-DARTS's betas. */
export interface DerivableAlphas {
  normal: number[][];
  reduce: number[][];
  betas?: { normal: number[]; reduce: number[] } | undefined;
  ops?: CandidateOps | undefined;
}

/** Options of {@link deriveGenotype}. */
export interface DeriveOptions {
  /** Intermediate nodes per cell (4). */
  steps?: number;
  /** P-DARTS's cap M on the normal cell's `skip_connect` edges (see {@link deriveGenotype}); no cap by default. */
  skipCap?: number;
}

/** The softmax of each node's slice of a cell's betas: node i's i + 2 incoming edges, in order. */
function nodeSoftmax(betas: number[], steps: number): number[] {
  const out: number[] = [];
  let start = 0;
  for (let node = 0; node < steps; node++) {
    out.push(...softmax(betas.slice(start, start + node + 2)));
    start += node + 2;
  }
  return out;
}

/** One cell's op weights: softmax(alpha) per edge, times the edge's normalized beta with edge normalization. */
function cellWeights(alpha: number[][], steps: number, betas?: number[]): number[][] {
  const edgeWeight = betas ? nodeSoftmax(betas, steps) : undefined;
  return alpha.map((row, e) => softmax(row).map((w) => (edgeWeight ? w * (edgeWeight[e] as number) : w)));
}

/**
 * Column of the strongest candidate of an edge other than `none` (and other than `skip_connect` when
 * `noSkip`), or -1 if there is none; the first of equals wins, as in the reference.
 */
function strongestOp(weights: number[], names: Primitive[], noSkip: boolean): number {
  let best = -1;
  weights.forEach((w, k) => {
    const name = names[k];
    if (name === 'none' || (noSkip && name === 'skip_connect')) return;
    if (best < 0 || w > (weights[best] as number)) best = k;
  });
  return best;
}

/**
 * Per node, the two incoming edges whose strongest candidate weighs most, each with that op. On the
 * edges in `noSkip`, `skip_connect` is out of the running (the skip cap's refinement).
 */
function deriveCell(weights: number[][], names: Primitive[][], steps: number, noSkip: ReadonlySet<number>): GenotypeEdge[] {
  const gene: GenotypeEdge[] = [];
  let start = 0;
  for (let node = 0; node < steps; node++) {
    const best = (source: number) =>
      strongestOp(weights[start + source] as number[], names[start + source] as Primitive[], noSkip.has(start + source));
    const strength = (source: number) => {
      const k = best(source);
      return k < 0 ? Number.NEGATIVE_INFINITY : ((weights[start + source] as number[])[k] as number);
    };
    // a stable sort: of two edges equally strong, the earlier one wins, as Python's sorted keeps it.
    const chosen = Array.from({ length: node + 2 }, (_, source) => ({ source, strength: strength(source) }))
      .sort((a, b) => b.strength - a.strength)
      .slice(0, 2);
    for (const { source } of chosen) gene.push([(names[start + source] as Primitive[])[best(source)] as GenotypeEdge[0], source]);
    start += node + 2;
  }
  return gene;
}

/**
 * P-DARTS's architecture refinement (Chen et al. 2019, Section 3.3): while the normal cell has more
 * than `cap` `skip_connect` edges, the chosen skip with the smallest weight is taken out of its
 * edge's running and the cell derived again, so that edge falls back to its next op or loses its
 * place to another edge of its node. A skip whose edge has no other op besides `none` stays.
 */
function capSkips(weights: number[][], names: Primitive[][], steps: number, cap: number): GenotypeEdge[] {
  const noSkip = new Set<number>();
  for (;;) {
    const gene = deriveCell(weights, names, steps, noSkip);
    const skips = gene
      .map(([op, source], i) => ({ op, edge: edgeIndex(Math.floor(i / 2), source) }))
      .filter(({ op, edge }) => op === 'skip_connect' && strongestOp(weights[edge] as number[], names[edge] as Primitive[], true) >= 0);
    const total = gene.filter(([op]) => op === 'skip_connect').length;
    if (total <= cap || skips.length === 0) return gene;
    const skipWeight = (edge: number) => (weights[edge] as number[])[(names[edge] as Primitive[]).indexOf('skip_connect')] as number;
    const weakest = skips.reduce((a, b) => (skipWeight(b.edge) < skipWeight(a.edge) ? b : a));
    noSkip.add(weakest.edge);
  }
}

/** Checks a skip-connect cap: an integer of at least 0, or absent for none. */
export function checkSkipCap(skipCap: number | undefined): void {
  if (skipCap !== undefined && !(Number.isInteger(skipCap) && skipCap >= 0)) {
    throw new ConvkitError(
      'bad-option',
      `the skip-connect cap must be an integer of at least 0, got ${skipCap}; try --skip-cap 2 (P-DARTS's M)`,
    );
  }
}

/**
 * The discrete architecture of continuous alphas (Section 2.4 of the DARTS paper): on each edge the
 * strongest candidate other than `none`, and for each node the two incoming edges whose strongest op
 * weighs most (after the softmax over the edge's candidates). All four nodes are concatenated. With
 * `betas` (an edge-normalized PC-DARTS search) an edge's strength is its op weight times its
 * normalized beta; with `ops` (a pruned P-DARTS stage) column k of edge e is `ops[e][k]`. With
 * `skipCap` M the normal cell keeps at most M skip connections (P-DARTS; 2 in its paper).
 */
export function deriveGenotype(alphas: DerivableAlphas, options: DeriveOptions = {}): Genotype {
  const steps = options.steps ?? CELL_STEPS;
  const { skipCap } = options;
  checkSkipCap(skipCap);
  const ops = alphas.ops ?? allCandidateOps();
  const concat = Array.from({ length: steps }, (_, i) => i + 2);
  const normal = cellWeights(alphas.normal, steps, alphas.betas?.normal);
  const reduce = cellWeights(alphas.reduce, steps, alphas.betas?.reduce);
  return {
    normal: skipCap === undefined ? deriveCell(normal, ops.normal, steps, new Set()) : capSkips(normal, ops.normal, steps, skipCap),
    normalConcat: concat,
    reduce: deriveCell(reduce, ops.reduce, steps, new Set()),
    reduceConcat: [...concat],
  };
}
