import { describe, expect, it } from 'vitest';
import {
  CELL_EDGES,
  deriveGenotype,
  edgeIndex,
  GENOTYPES,
  type Genotype,
  isReductionCell,
  parseGenotype,
  planCells,
} from '../src/index.js';
import './support/setup.js';

const OPS = 'max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5';

/** DARTS_V2 with `change` applied: the genotype every case below breaks in one place. */
function darts(change: Partial<Record<keyof Genotype, unknown>>): unknown {
  return { ...structuredClone(GENOTYPES.DARTS_V2), ...change };
}

/** The code and message `parseGenotype` throws for `value`, or undefined when it accepts it. */
function refusal(value: unknown, source?: string) {
  try {
    parseGenotype(value, source);
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  return undefined;
}

describe('parseGenotype refuses a bad genotype in one line naming the cell, edge or state', () => {
  const normal = GENOTYPES.DARTS_V2.normal;

  it('an odd or zero edge count, and accepts a one-node cell', () => {
    expect(refusal(darts({ normal: normal.slice(0, 7) }))).toEqual({
      code: 'bad-genotype',
      message: "genotype normal has 7 edges; give two per intermediate node (8 for DARTS's 4 nodes)",
    });
    expect(refusal(darts({ reduce: [] }))?.message).toBe(
      "genotype reduce has 0 edges; give two per intermediate node (8 for DARTS's 4 nodes)",
    );
    expect(refusal(darts({ normal: normal.slice(0, 2), normalConcat: [2] }))).toBeUndefined();
  });

  it('an op outside the search space or `none`, listing the ops', () => {
    const withNone = normal.map((edge, e) => (e === 3 ? ['none', edge[1]] : edge));
    expect(refusal(darts({ normal: withNone }))).toEqual({
      code: 'bad-genotype',
      message: `genotype normal edge 3 has op "none"; use one of ${OPS}`,
    });
  });

  it('an edge reading a state its node cannot see, and accepts the latest one it can', () => {
    const reading = (source: number) => normal.map((edge, e) => (e === 5 ? [edge[0], source] : edge));
    expect(refusal(darts({ normal: reading(4) }))).toEqual({
      code: 'bad-genotype',
      message: 'genotype normal edge 5 of node 2 reads state 4; node 2 can read states 0..3',
    });
    expect(refusal(darts({ normal: reading(3) }))).toBeUndefined();
  });

  it('a concatenated state outside 0..steps+1, and an empty concatenation; states 0 and 5 are accepted', () => {
    for (const state of [-1, 6]) {
      expect(refusal(darts({ reduceConcat: [2, state] }))).toEqual({
        code: 'bad-genotype',
        message: `genotype reduceConcat names state ${state}; a cell of 4 nodes has states 0..5`,
      });
    }
    expect(refusal(darts({ reduceConcat: [0, 5] }))).toBeUndefined();
    expect(refusal(darts({ normalConcat: [] }))).toEqual({
      code: 'bad-genotype',
      message: 'genotype normalConcat is empty; list the states the cell outputs, e.g. [2, 3, 4, 5]',
    });
  });

  it('a value of the wrong form, naming the source and the path of the first problem', () => {
    const wrongField = refusal(darts({ normal: 'sep_conv_3x3' }), 'cell.json');
    expect(wrongField?.code).toBe('bad-genotype');
    expect(wrongField?.message).toMatch(
      /^cell\.json is not a genotype: normal: .+; expected \{"normal": \[\["sep_conv_3x3", 0\], \.\.\.\]/,
    );
    expect(refusal(darts({ normal: [['sep_conv_3x3', 'x'], ...normal.slice(1)] }))?.message).toMatch(
      /^genotype is not a genotype: normal\.0\.1: /,
    );
    expect(refusal(7)?.message).toMatch(/^genotype is not a genotype: value: /);
  });
});

describe('deriveGenotype', () => {
  it('derives from alphas of large magnitude without overflow, and concatenates all four nodes in both cells', () => {
    // Every edge favours sep_conv_3x3 at 900 (softmax of raw exp would be inf / inf); the edges
    // of each node are equally strong, so the first two sources win.
    const alphas = Array.from({ length: CELL_EDGES }, () => [0, 0, 0, 0, 900, 0, 0, 0]);
    const genotype = deriveGenotype({ normal: alphas, reduce: alphas });
    const firstTwo = [0, 1, 0, 1, 0, 1, 0, 1].map((source) => ['sep_conv_3x3', source]);
    expect(genotype).toEqual({ normal: firstTwo, normalConcat: [2, 3, 4, 5], reduce: firstTwo, reduceConcat: [2, 3, 4, 5] });
  });
});

describe('cell geometry', () => {
  it('reduces at a third and two thirds of the depth', () => {
    const reductions = (layers: number) => Array.from({ length: layers }, (_, i) => i).filter((i) => isReductionCell(i, layers));
    expect([reductions(8), reductions(20), reductions(5)]).toEqual([
      [2, 5],
      [6, 13],
      [1, 3],
    ]);
  });

  it("numbers a cell's edges node by node: node i's edges follow the 2 + 3 + ... of the nodes before it", () => {
    expect([edgeIndex(0, 0), edgeIndex(0, 1), edgeIndex(1, 0), edgeIndex(1, 2), edgeIndex(2, 3), edgeIndex(3, 0), edgeIndex(3, 4)]).toEqual(
      [0, 1, 2, 4, 8, 9, 13],
    );
  });

  it('plans widths from a 3C stem, doubling at each reduction and reading the two cells before', () => {
    const plan = planCells(16, 5).map((c) => [c.reduction, c.reductionPrev, c.channelsPrevPrev, c.channelsPrev, c.channels, c.channelsOut]);
    expect(plan).toEqual([
      [false, false, 48, 48, 16, 64],
      [true, false, 48, 64, 32, 128],
      [false, true, 64, 128, 32, 128],
      [true, false, 128, 128, 64, 256],
      [false, true, 128, 256, 64, 256],
    ]);
    expect(planCells(4, 3, (reduction) => (reduction ? 2 : 3)).map((c) => c.channelsOut)).toEqual([12, 16, 32]);
  });
});
