import { ConvkitError, createRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  alphaRanking,
  type CandidateOps,
  CELL_EDGES,
  collectLayers,
  deriveGenotype,
  edgeIndex,
  mixedOp,
  PDARTS_DEFAULTS,
  PRIMITIVES,
  type Primitive,
  pdartsStages,
  pruneCandidateOps,
  rankingSettled,
  SearchNetwork,
  sameRanking,
  skipDropoutRate,
} from '../src/index.js';
import { alphaMatrix } from './support/alpha-matrix.js';
import './support/setup.js';

describe("P-DARTS's search-space approximation", () => {
  // edge 0: 0.9 skip, 0.8 sep5, 0.7 dil5, 0.5 max, 0.4 dil3 are the top 5; edge 1: none wins, then
  // four ops tied at 0 (the earlier op wins a tie); every other edge falls with the column.
  const rows = Array.from({ length: CELL_EDGES }, (_, e) => {
    if (e === 0) return [0.1, 0.5, 0.3, 0.9, 0.2, 0.8, 0.4, 0.7];
    if (e === 1) return [2, 0, 0, 0, 0, 0, 0, 0];
    return PRIMITIVES.map((_, k) => -k);
  });
  const reduce = rows.map((row) => [...row].reverse());

  it('keeps exactly the top-k ops of each edge by softmax(alpha), in primitive order', () => {
    const ops = pruneCandidateOps({ normal: rows, reduce }, 5);
    expect(ops.normal[0]).toEqual(['max_pool_3x3', 'skip_connect', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5']);
    expect(ops.normal[1]).toEqual(['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3']);
    expect(ops.normal[2]).toEqual(PRIMITIVES.slice(0, 5));
    expect(ops.reduce[2]).toEqual(PRIMITIVES.slice(3));
    for (const row of [...ops.normal, ...ops.reduce]) expect(row).toHaveLength(5);
  });

  it("prunes a pruned stage by its own columns: 5 -> 3 reads each edge's alphas against its candidates", () => {
    const first = pruneCandidateOps({ normal: rows, reduce }, 5);
    // edge 0's candidates max, skip, sep5, dil3, dil5 with alphas 1, 0, 3, 2, -1: keep sep5, dil3, max
    const second = rows.map((_, e) => (e === 0 ? [1, 0, 3, 2, -1] : [0, 1, 2, 3, 4]));
    const ops = pruneCandidateOps({ normal: second, reduce: second, ops: first }, 3);
    expect(ops.normal[0]).toEqual(['max_pool_3x3', 'sep_conv_5x5', 'dil_conv_3x3']);
    expect(ops.normal[1]).toEqual(['avg_pool_3x3', 'skip_connect', 'sep_conv_3x3']);
    expect(ops.reduce[2]).toEqual(PRIMITIVES.slice(5));
  });

  it('refuses to keep fewer than 2 ops, or as many as it has', () => {
    expect(() => pruneCandidateOps({ normal: rows, reduce }, 1)).toThrowError(/keeps between 2 and 7 of the 8 ops per edge, got 1/);
    expect(() => pruneCandidateOps({ normal: rows, reduce }, 8)).toThrowError(/got 8/);
  });
});

/** Trainable weights of the layers whose names pass `keep`. */
const trainable = (net: SearchNetwork, keep: (name: string) => boolean = () => true) =>
  net.layers
    .filter((l) => keep(l.name))
    .reduce((n, l) => n + l.trainableWeights.reduce((m, w) => m + (w.shape as number[]).reduce((a, b) => a * b, 1), 0), 0);

/** The (cell, edge, op) of an edge layer's name `cell<c>.node<n>.edge<s>.<op>...`, or undefined. */
function edgeLayer(name: string): { cell: number; edge: number; op: string } | undefined {
  const m = /^cell(\d+)\.node(\d+)\.edge(\d+)\.([a-z_0-9]+)/.exec(name);
  return m ? { cell: Number(m[1]), edge: edgeIndex(Number(m[2]), Number(m[3])), op: m[4] as string } : undefined;
}

describe('a P-DARTS stage network', () => {
  const config = { channels: 2, layers: 4, numClasses: 3, inputShape: [8, 8, 1] as [number, number, number] };
  const random = createRng(9);
  const noisy = () => Array.from({ length: CELL_EDGES }, () => PRIMITIVES.map(() => random.normal()));
  const ops: CandidateOps = pruneCandidateOps({ normal: noisy(), reduce: noisy() }, 3);

  it("has the stage's depth and only the kept ops: the full network's weights minus the dropped ops' layers", () => {
    const full = new SearchNetwork(config, createRng(1));
    const stage = new SearchNetwork({ ...config, ops }, createRng(1));
    try {
      const cells = new Set(stage.layers.map((l) => /^cell(\d+)\./.exec(l.name)?.[1]).filter((c) => c !== undefined));
      expect([...cells]).toEqual(['0', '1', '2', '3']);
      expect(stage.alphas.normal.shape).toEqual([CELL_EDGES, 3]);
      expect(stage.alphas.reduce.shape).toEqual([CELL_EDGES, 3]);
      const reductions = [1, 2]; // cells at 4/3 and 8/3, floored
      const candidates = (cell: number, edge: number) => (reductions.includes(cell) ? ops.reduce : ops.normal)[edge] as string[];
      const kept = (name: string) => {
        const at = edgeLayer(name);
        return at === undefined || candidates(at.cell, at.edge).includes(at.op);
      };
      expect(stage.layers.every((l) => kept(l.name))).toBe(true);
      expect(stage.countWeights()).toBe(trainable(full, kept));
      expect(stage.countWeights()).toBeLessThan(full.countWeights());
      expect(stage.alphaValues().ops).toEqual(ops);
    } finally {
      full.dispose();
      stage.dispose();
    }
  });

  it('refuses edges with different numbers of candidates', () => {
    const uneven = { normal: ops.normal.map((row, e) => (e === 0 ? row.slice(0, 2) : row)), reduce: ops.reduce };
    expect(() => new SearchNetwork({ ...config, ops: uneven }, createRng(1))).toThrowError(/the same number \(at least 2\) of ops/);
  });
});

describe('skip-connection dropout', () => {
  const x = tf.ones([1, 20, 20, 4]);
  const { built: edge } = collectLayers(() =>
    mixedOp('edge', { channels: 4, stride: 1, affine: false, search: true }, { ops: ['none', 'skip_connect'] }),
  );
  const weights = [tf.scalar(0), tf.scalar(1)];
  const values = (flags: Parameters<typeof edge>[2]) => Array.from(edge(x, weights, flags).dataSync());

  it('zeroes about the rate of the skip output in training and scales the rest by 1 / (1 - rate); passes it through in eval', () => {
    const rng = createRng(4);
    const trained = values({ training: true, skipDropout: { rate: 0.5, rng } });
    expect(new Set(trained)).toEqual(new Set([0, 2]));
    const dropped = trained.filter((v) => v === 0).length / trained.length;
    expect(dropped).toBeGreaterThan(0.4);
    expect(dropped).toBeLessThan(0.6);
    expect(values({ training: false, skipDropout: { rate: 0.5, rng } })).toEqual(new Array(1600).fill(1));
    expect(values({ training: true })).toEqual(new Array(1600).fill(1));
  });

  it('in the search network: training forwards differ from mask to mask, inference ones do not', () => {
    const net = new SearchNetwork({ channels: 2, layers: 3, numClasses: 3, inputShape: [8, 8, 1] }, createRng(2));
    try {
      const image = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 3);
      const run = (training: boolean) => Array.from(net.forward(image, { training }).dataSync());
      expect(run(true)).toEqual(run(true));
      net.skipDropout = 0.9;
      expect(run(true)).not.toEqual(run(true));
      expect(run(false)).toEqual(run(false));
    } finally {
      net.dispose();
    }
  });

  it("follows the authors' schedule: linear over the warm-up from (E-1)/E of the rate, then the rate decaying by e^-0.2 an epoch", () => {
    const [, , third] = pdartsStages({});
    expect(third).toEqual({ layers: 17, ops: 3, epochs: 25, warmupEpochs: 10, skipDropout: 0.7 });
    expect(skipDropoutRate(third as never, 0)).toBeCloseTo((0.7 * 24) / 25, 12);
    expect(skipDropoutRate(third as never, 9)).toBeCloseTo((0.7 * 15) / 25, 12);
    expect(skipDropoutRate(third as never, 10)).toBeCloseTo(0.7, 12);
    expect(skipDropoutRate(third as never, 12)).toBeCloseTo(0.7 * Math.exp(-0.4), 12);
  });
});

describe("P-DARTS's stages", () => {
  it("are the paper's by default: 5, 11, 17 cells over 8, 5, 3 ops, skip dropout 0, 0.4, 0.7, 25 epochs with 10 warm-up", () => {
    expect(pdartsStages({}).map((s) => [s.layers, s.ops, s.skipDropout, s.epochs, s.warmupEpochs])).toEqual([
      [5, 8, 0, 25, 10],
      [11, 5, 0.4, 25, 10],
      [17, 3, 0.7, 25, 10],
    ]);
    expect(PDARTS_DEFAULTS.skipCap).toBe(2);
  });

  it('scale the warm-up with the epochs, and cut the paper lists to the stages given', () => {
    expect(pdartsStages({ stageLayers: [3, 4], epochs: 5 }).map((s) => [s.layers, s.ops, s.skipDropout, s.warmupEpochs])).toEqual([
      [3, 8, 0, 2],
      [4, 5, 0.4, 2],
    ]);
  });

  it('refuse ops that do not start at 8 or do not fall, mismatched lists, and rates outside [0, 1)', () => {
    expect(() => pdartsStages({ stageOps: [5, 3, 2] })).toThrowError(/stage ops must start at all 8 and fall stage by stage/);
    expect(() => pdartsStages({ stageOps: [8, 5, 5] })).toThrowError(/got 8,5,5/);
    expect(() => pdartsStages({ stageLayers: [5, 11], stageOps: [8, 5, 3] })).toThrowError(/one entry per stage/);
    expect(() => pdartsStages({ skipDropout: [0, 0.4, 1] })).toThrowError(/skip dropout rates must be in \[0, 1\)/);
    expect(() => pdartsStages({ epochs: 4, warmupEpochs: 4 })).toThrowError(
      /warm-up epochs must be an integer from 0 to epochs - 1 \(3\), got 4/,
    );
  });
});

describe("P-DARTS's skip-connect cap", () => {
  // Node 0: skip on edge 0 (alpha 3, beside sep_conv_3x3 1) and edge 1 (2, beside max_pool 0.5).
  // Node 1: skip on edge 2 (2.5), sep_conv_5x5 on edge 3 (1), dil_conv_3x3 on edge 4 (0.8).
  // Node 2: skip on edge 5 (1.5), avg_pool on edge 6 (1.2), edges 7 and 8 uniform.
  // Node 3: dil_conv_5x5 on edge 9 (2), sep_conv_3x3 on edge 10 (1.8).
  const normal = alphaMatrix([
    [0, 'skip_connect', 3],
    [0, 'sep_conv_3x3', 1],
    [1, 'skip_connect', 2],
    [1, 'max_pool_3x3', 0.5],
    [2, 'skip_connect', 2.5],
    [3, 'sep_conv_5x5', 1],
    [4, 'dil_conv_3x3', 0.8],
    [5, 'skip_connect', 1.5],
    [6, 'avg_pool_3x3', 1.2],
    [9, 'dil_conv_5x5', 2],
    [10, 'sep_conv_3x3', 1.8],
  ]);
  const reduce = alphaMatrix([[0, 'skip_connect', 3]]);

  it('derives 4 skips uncapped; with M = 2 drops the weakest (edge 5, then edge 1) and re-derives their nodes (hand-worked)', () => {
    const plain = deriveGenotype({ normal, reduce });
    expect(plain.normal.filter(([op]) => op === 'skip_connect')).toHaveLength(4);
    const capped = deriveGenotype({ normal, reduce }, { skipCap: 2 });
    // edge 5's skip weighs 0.390, edge 1's 0.491, edge 2's 0.635, edge 0's 0.698. Without its skip
    // edge 5 is uniform (0.087 each), so node 2 takes avg_pool on edge 6 (0.322) and edge 7 (0.125,
    // max_pool first of equals); node 0 must keep both its edges, edge 1 with max_pool (0.110).
    expect(capped.normal).toEqual([
      ['skip_connect', 0],
      ['max_pool_3x3', 1],
      ['skip_connect', 0],
      ['sep_conv_5x5', 1],
      ['avg_pool_3x3', 1],
      ['max_pool_3x3', 2],
      ['dil_conv_5x5', 0],
      ['sep_conv_3x3', 1],
    ]);
    expect(capped.reduce).toEqual(plain.reduce);
    expect(deriveGenotype({ normal, reduce }, { skipCap: 4 })).toEqual(plain);
  });

  it('refuses a cap that is not an integer of at least 0, as a bad option', () => {
    for (const skipCap of [-1, 1.5]) {
      let thrown: unknown;
      try {
        deriveGenotype({ normal, reduce }, { skipCap });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConvkitError);
      expect((thrown as ConvkitError).code).toBe('bad-option');
      expect((thrown as ConvkitError).message).toMatch(new RegExp(`skip-connect cap must be an integer of at least 0, got ${skipCap}`));
    }
  });

  it('takes a cap of 0: every skip that has another op to fall back to is gone', () => {
    const capped = deriveGenotype({ normal, reduce }, { skipCap: 0 });
    expect(capped.normal.filter(([op]) => op === 'skip_connect')).toEqual([]);
    // Node 0 keeps both its edges, strongest first: edge 1's max_pool (0.110), then edge 0's fallback,
    // its sep_conv_3x3 (0.094).
    expect(capped.normal.slice(0, 2)).toEqual([
      ['max_pool_3x3', 1],
      ['sep_conv_3x3', 0],
    ]);
  });

  it("of two equally weak skips drops the earlier edge first, as argmin does in the authors' get_min_k", () => {
    // Edge 0 (node 0) and edge 2 (node 1) carry the same row: skip 2 beside a weaker real op.
    const tied = alphaMatrix([
      [0, 'skip_connect', 2],
      [0, 'sep_conv_3x3', 1],
      [2, 'skip_connect', 2],
      [2, 'sep_conv_5x5', 1],
    ]);
    const capped = deriveGenotype({ normal: tied, reduce }, { skipCap: 1 });
    expect(capped.normal.slice(0, 4)).toEqual([
      ['sep_conv_3x3', 0],
      ['max_pool_3x3', 1],
      ['skip_connect', 0],
      ['max_pool_3x3', 1],
    ]);
  });
});

describe('genotype derivation over a pruned stage', () => {
  it('under the cap, keeps a skip whose edge has nothing else but none, and drops one whose other op is column 0', () => {
    // Node 0's edges kept only none and skip_connect; every other edge kept max_pool (column 0) and skip.
    const normalOps = Array.from({ length: CELL_EDGES }, (_, e): Primitive[] =>
      e < 2 ? ['none', 'skip_connect'] : ['max_pool_3x3', 'skip_connect'],
    );
    const ops: CandidateOps = { normal: normalOps, reduce: normalOps.map(() => ['max_pool_3x3', 'skip_connect']) };
    const skipFavoured = Array.from({ length: CELL_EDGES }, () => [0, 2]);
    const zeros = Array.from({ length: CELL_EDGES }, () => [0, 0]);
    const uncapped = deriveGenotype({ normal: skipFavoured, reduce: zeros, ops });
    expect(uncapped.normal.every(([op]) => op === 'skip_connect')).toBe(true);
    const capped = deriveGenotype({ normal: skipFavoured, reduce: zeros, ops }, { skipCap: 0 });
    expect(capped.normal).toEqual([
      ['skip_connect', 0],
      ['skip_connect', 1],
      ...[1, 2, 3].flatMap((): [string, number][] => [
        ['max_pool_3x3', 0],
        ['max_pool_3x3', 1],
      ]),
    ]);
  });
  it('reads column k of an edge as its k-th kept op, column 0 included once none is pruned away', () => {
    const kept: Primitive[] = ['max_pool_3x3', 'sep_conv_3x3', 'dil_conv_3x3'];
    const ops: CandidateOps = {
      normal: Array.from({ length: CELL_EDGES }, () => [...kept]),
      reduce: Array.from({ length: CELL_EDGES }, () => [...kept]),
    };
    const rows = () => Array.from({ length: CELL_EDGES }, () => [0, 0, 0]);
    const normal = rows();
    // Node 1: edge 2's max_pool (column 0) is the cell's strongest op; edge 4's dil_conv comes next.
    (normal[2] as number[])[0] = 3;
    (normal[4] as number[])[2] = 1;
    const genotype = deriveGenotype({ normal, reduce: rows(), ops });
    expect(genotype.normal.slice(2, 4)).toEqual([
      ['max_pool_3x3', 0],
      ['dil_conv_3x3', 2],
    ]);
  });
});

describe("DARTS+'s ranking rule", () => {
  it("ranks each edge's ops but none, strongest first, and sees a swap as a change and a shift as none", () => {
    const base = alphaMatrix([
      [0, 'sep_conv_3x3', 2],
      [0, 'skip_connect', 1],
      [0, 'none', 5],
    ]);
    const ranking = alphaRanking({ normal: base, reduce: base });
    expect(ranking).toHaveLength(2 * CELL_EDGES);
    expect(ranking[0]).toEqual([4, 3, 1, 2, 5, 6, 7]);
    const shifted = base.map((row) => row.map((v) => v + 0.5));
    expect(sameRanking(ranking, alphaRanking({ normal: shifted, reduce: base }))).toBe(true);
    const swapped = alphaMatrix([
      [0, 'sep_conv_3x3', 1],
      [0, 'skip_connect', 2],
    ]);
    expect(sameRanking(ranking, alphaRanking({ normal: swapped, reduce: base }))).toBe(false);
  });

  it('settles once the ranking has held for stableEpochs epochs, never without the rule', () => {
    expect(rankingSettled(2, 3)).toBe(false);
    expect(rankingSettled(3, 3)).toBe(true);
    expect(rankingSettled(100, undefined)).toBe(false);
  });
});
