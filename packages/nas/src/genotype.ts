import { ConvkitError } from '@convkit/core';
import { z } from 'zod';
import { CELL_STEPS } from './cell-geometry.js';
import { isPrimitive, PRIMITIVES, type Primitive } from './primitives.js';

/** One chosen edge of a derived cell: the op and the state it reads (0, 1: the cell's inputs; 2 + i: node i). */
export type GenotypeEdge = [op: Exclude<Primitive, 'none'>, source: number];

/**
 * A discrete DARTS architecture: for each cell type, two edges per intermediate node (node i's two
 * at positions 2i and 2i + 1) and the states concatenated into the cell's output. The JSON form is
 * this object, e.g. `{"normal": [["sep_conv_3x3", 0], ...], "normalConcat": [2, 3, 4, 5], ...}`:
 * the reference's `Genotype` namedtuple with camelCase field names.
 */
export interface Genotype {
  normal: GenotypeEdge[];
  normalConcat: number[];
  reduce: GenotypeEdge[];
  reduceConcat: number[];
}

const edgeSchema = z.tuple([z.string(), z.number().int().nonnegative()]);
const genotypeSchema = z
  .object({
    normal: z.array(edgeSchema),
    normalConcat: z.array(z.number().int()),
    reduce: z.array(edgeSchema),
    reduceConcat: z.array(z.number().int()),
  })
  .strict();

function checkCell(label: string, edges: [string, number][], concat: number[]): void {
  const steps = edges.length / 2;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new ConvkitError(
      'bad-genotype',
      `genotype ${label} has ${edges.length} edges; give two per intermediate node (8 for DARTS's 4 nodes)`,
    );
  }
  edges.forEach(([op, source], e) => {
    const node = Math.floor(e / 2);
    if (!isPrimitive(op) || op === 'none') {
      throw new ConvkitError('bad-genotype', `genotype ${label} edge ${e} has op "${op}"; use one of ${PRIMITIVES.slice(1).join(', ')}`);
    }
    if (source >= node + 2) {
      throw new ConvkitError(
        'bad-genotype',
        `genotype ${label} edge ${e} of node ${node} reads state ${source}; node ${node} can read states 0..${node + 1}`,
      );
    }
  });
  for (const i of concat) {
    if (i < 0 || i >= steps + 2) {
      throw new ConvkitError(
        'bad-genotype',
        `genotype ${label}Concat names state ${i}; a cell of ${steps} nodes has states 0..${steps + 1}`,
      );
    }
  }
  if (concat.length === 0)
    throw new ConvkitError('bad-genotype', `genotype ${label}Concat is empty; list the states the cell outputs, e.g. [2, 3, 4, 5]`);
}

/** Validates a genotype given as a JS value (e.g. parsed JSON); a bad one is a one-line {@link ConvkitError}. */
export function parseGenotype(value: unknown, source = 'genotype'): Genotype {
  const parsed = genotypeSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConvkitError(
      'bad-genotype',
      `${source} is not a genotype: ${issue?.path.join('.') || 'value'}: ${issue?.message}; expected {"normal": [["sep_conv_3x3", 0], ...], "normalConcat": [2, 3, 4, 5], "reduce": [...], "reduceConcat": [...]}`,
    );
  }
  checkCell('normal', parsed.data.normal, parsed.data.normalConcat);
  checkCell('reduce', parsed.data.reduce, parsed.data.reduceConcat);
  return parsed.data as Genotype;
}

/** Softmax of each row. */
function softmaxRows(alpha: number[][]): number[][] {
  return alpha.map((row) => {
    const top = Math.max(...row);
    const e = row.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
}

const NONE = PRIMITIVES.indexOf('none');

/** Index of the strongest op of `weights` other than `none`; the first of equals wins, as in the reference. */
function strongestOp(weights: number[]): number {
  let best = -1;
  weights.forEach((w, k) => {
    if (k !== NONE && (best < 0 || w > (weights[best] as number))) best = k;
  });
  return best;
}

/** The softmax of each node's slice of a cell's betas: node i's i + 2 incoming edges, in order. */
function nodeSoftmax(betas: number[], steps: number): number[] {
  const out: number[] = [];
  let start = 0;
  for (let node = 0; node < steps; node++) {
    out.push(...(softmaxRows([betas.slice(start, start + node + 2)])[0] as number[]));
    start += node + 2;
  }
  return out;
}

/**
 * The cell of one alpha matrix (14 x 8): per node, the two edges whose strongest non-`none` weight is
 * largest; with betas (PC-DARTS's edge normalization) each edge's op weights are first scaled by the
 * edge's normalized beta, which can change the edges chosen but never an edge's op.
 */
function deriveCell(alpha: number[][], steps: number, betas?: number[]): GenotypeEdge[] {
  const edgeWeight = betas ? nodeSoftmax(betas, steps) : undefined;
  const weights = softmaxRows(alpha).map((row, e) => (edgeWeight ? row.map((w) => w * (edgeWeight[e] as number)) : row));
  const gene: GenotypeEdge[] = [];
  let start = 0;
  for (let node = 0; node < steps; node++) {
    const rows = weights.slice(start, start + node + 2);
    const strength = (row: number[]) => row[strongestOp(row)] as number;
    // a stable sort: of two edges equally strong, the earlier one wins, as Python's sorted keeps it.
    const chosen = rows
      .map((row, source) => ({ source, strength: strength(row) }))
      .sort((a, b) => b.strength - a.strength)
      .slice(0, 2);
    for (const { source } of chosen) gene.push([PRIMITIVES[strongestOp(rows[source] as number[])] as GenotypeEdge[0], source]);
    start += node + 2;
  }
  return gene;
}

/**
 * The discrete architecture of continuous alphas (Section 2.4 of the paper): on each edge the
 * strongest op other than `none`, and for each node the two incoming edges whose strongest op weighs
 * most (after the softmax over the edge's ops). All four nodes are concatenated. With `betas` (an
 * edge-normalized PC-DARTS search) an edge's strength is its op weight times its normalized beta.
 */
export function deriveGenotype(
  alphas: { normal: number[][]; reduce: number[][]; betas?: { normal: number[]; reduce: number[] } },
  steps = CELL_STEPS,
): Genotype {
  const concat = Array.from({ length: steps }, (_, i) => i + 2);
  return {
    normal: deriveCell(alphas.normal, steps, alphas.betas?.normal),
    normalConcat: concat,
    reduce: deriveCell(alphas.reduce, steps, alphas.betas?.reduce),
    reduceConcat: [...concat],
  };
}
