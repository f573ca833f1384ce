import { ConvkitError } from '@convkit/core';
import { z } from 'zod';
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
