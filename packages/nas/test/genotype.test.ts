import { describe, expect, it } from 'vitest';
import { CELL_EDGES, deriveGenotype, GENOTYPES, type Genotype, parseGenotype, resolveGenotype } from '../src/index.js';
import { alphaMatrix } from './support/alpha-matrix.js';
import './support/setup.js';

describe('genotype derivation', () => {
  it('takes per node the two incoming edges whose strongest non-none op weighs most, strongest first', () => {
    // Node 0 (edges 0, 1): edge 1's sep_conv_3x3 (2) beats edge 0's max_pool (1): both kept, edge 1 first.
    // Node 1 (edges 2, 3, 4): edge 4 (dil_conv_5x5 = 3) and edge 2 (skip = 1.5) beat edge 3 (avg_pool = 1).
    // Node 2 (edges 5..8): `none` at 10 on edge 5 is ignored; edge 7 (sep_conv_5x5 = 2) and edge 8 (max_pool = 1.2).
    // Node 3 (edges 9..13): edges 12 (dil_conv_3x3 = 4) and 10 (skip = 0.5); every other edge uniform.
    const normal = alphaMatrix([
      [0, 'max_pool_3x3', 1],
      [1, 'sep_conv_3x3', 2],
      [2, 'skip_connect', 1.5],
      [3, 'avg_pool_3x3', 1],
      [4, 'dil_conv_5x5', 3],
      [5, 'none', 10],
      [7, 'sep_conv_5x5', 2],
      [8, 'max_pool_3x3', 1.2],
      [10, 'skip_connect', 0.5],
      [12, 'dil_conv_3x3', 4],
    ]);
    const genotype = deriveGenotype({ normal, reduce: normal });
    expect(genotype.normal).toEqual([
      ['sep_conv_3x3', 1],
      ['max_pool_3x3', 0],
      ['dil_conv_5x5', 2],
      ['skip_connect', 0],
      ['sep_conv_5x5', 2],
      ['max_pool_3x3', 3],
      ['dil_conv_3x3', 3],
      ['skip_connect', 1],
    ]);
    expect(genotype.normalConcat).toEqual([2, 3, 4, 5]);
  });

  it('compares edges after the softmax over their ops: a lone large alpha beats a larger one among rivals', () => {
    // edge 0: sep_conv_3x3 = 2 but sep_conv_5x5 = 2 too, so its softmax weight is split;
    // edge 1: avg_pool = 1.9 alone. Softmax: edge 0's best is e^2 / (2e^2 + 6) ~ 0.356, edge 1's
    // e^1.9 / (e^1.9 + 7) ~ 0.489. The raw alphas would pick edge 0 first; the reference picks edge 1.
    const reduce = alphaMatrix([
      [0, 'sep_conv_3x3', 2],
      [0, 'sep_conv_5x5', 2],
      [1, 'avg_pool_3x3', 1.9],
    ]);
    const genotype = deriveGenotype({ normal: reduce, reduce });
    expect(genotype.reduce.slice(0, 2)).toEqual([
      ['avg_pool_3x3', 1],
      ['sep_conv_3x3', 0],
    ]);
  });

  it('never chooses none, even where none dominates every edge', () => {
    const all = alphaMatrix(Array.from({ length: CELL_EDGES }, (_, e) => [e, 'none', 50] as [number, 'none', number]));
    const genotype = deriveGenotype({ normal: all, reduce: all });
    for (const [op] of [...genotype.normal, ...genotype.reduce]) expect(op).not.toBe('none');
    // all ties: the first op after none and the first two sources, as the reference's stable sort gives.
    expect(genotype.normal[0]).toEqual(['max_pool_3x3', 0]);
    expect(genotype.normal[1]).toEqual(['max_pool_3x3', 1]);
  });
});

describe('genotypes', () => {
  it("has the paper's DARTS_V1 and DARTS_V2 built in, DARTS being DARTS_V2", () => {
    expect(GENOTYPES.DARTS).toBe(GENOTYPES.DARTS_V2);
    expect(GENOTYPES.DARTS_V2.normal[7]).toEqual(['dil_conv_3x3', 2]);
    expect(GENOTYPES.DARTS_V1.reduce[7]).toEqual(['avg_pool_3x3', 0]);
    for (const g of [GENOTYPES.DARTS_V1, GENOTYPES.DARTS_V2]) expect(parseGenotype(JSON.parse(JSON.stringify(g)))).toEqual(g);
  });

  it('round-trips through JSON and refuses bad ones in one line naming the fault', () => {
    const good = JSON.parse(JSON.stringify(GENOTYPES.DARTS_V2)) as Genotype;
    expect(resolveGenotype(good)).toEqual(GENOTYPES.DARTS_V2);
    const noneEdge = { ...good, normal: [['none', 0], ...good.normal.slice(1)] };
    expect(() => parseGenotype(noneEdge)).toThrowError(/edge 0 has op "none"; use one of max_pool_3x3/);
    const ahead = { ...good, reduce: [['skip_connect', 2], ...good.reduce.slice(1)] };
    expect(() => parseGenotype(ahead)).toThrowError(/edge 0 of node 0 reads state 2; node 0 can read states 0..1/);
    expect(() => parseGenotype({ ...good, normalConcat: [2, 9] })).toThrowError(/normalConcat names state 9/);
    expect(() => parseGenotype({ normal: [] })).toThrowError(/not a genotype/);
    expect(() => resolveGenotype('DARTS_V3')).toThrowError(
      /genotype "DARTS_V3" is neither a built-in \(DARTS_V1, DARTS_V2, DARTS\) nor a readable file/,
    );
  });
});
