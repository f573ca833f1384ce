import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BilevelOptimizer,
  CELL_EDGES,
  expectedLatency,
  GENOTYPES,
  LATENCY_FILE,
  type LatencyTable,
  measureGenotypeLatency,
  measureLatencyTable,
  PRIMITIVES,
  parseLatencyTable,
  predictedLatency,
  runSearch,
  SearchNetwork,
} from '../src/index.js';
import './support/setup.js';
import { SMALL_SHAPES } from './support/small-shapes.js';

const folders: string[] = [];
async function folder(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'convkit-latency-'));
  folders.push(path);
  return path;
}
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

// made-up costs in ms: convolutions dear, pooling and skip cheap, growing along the edges so no two entries tie
const COST: Record<(typeof PRIMITIVES)[number], number> = {
  none: 0,
  max_pool_3x3: 1,
  avg_pool_3x3: 1.2,
  skip_connect: 0.5,
  sep_conv_3x3: 10,
  sep_conv_5x5: 14,
  dil_conv_3x3: 8,
  dil_conv_5x5: 11,
};
const costs = (scale: number) => Array.from({ length: CELL_EDGES }, (_, e) => PRIMITIVES.map((p) => COST[p] * scale * (1 + e / 100)));
const TABLE: LatencyTable = {
  backend: 'made-up',
  batch: 4,
  channels: 2,
  layers: 3,
  inputShape: [8, 8, 1],
  partialChannels: 1,
  normal: costs(1),
  reduce: costs(2),
};

describe('the expected latency', () => {
  it('has the gradient of central differences (float64) of sum softmax(alpha) . latency', () => {
    const rng = createRng(4);
    const values = [0, 1].map(() => Array.from({ length: CELL_EDGES }, () => PRIMITIVES.map(() => rng.normal())));
    const inJs = (normal: number[][], reduce: number[][]) => {
      const cell = (alpha: number[][], latency: number[][]) =>
        alpha.reduce((sum, row, e) => {
          const top = Math.max(...row);
          const ex = row.map((v) => Math.exp(v - top));
          const total = ex.reduce((a, b) => a + b, 0);
          return sum + ex.reduce((s, v, k) => s + (v / total) * (latency[e]?.[k] as number), 0);
        }, 0);
      return cell(normal, TABLE.normal) + cell(reduce, TABLE.reduce);
    };
    const [normal, reduce] = values as [number[][], number[][]];
    const grads = tf.grads((n: tf.Tensor, r: tf.Tensor) => expectedLatency([n, r], TABLE))([tf.tensor2d(normal), tf.tensor2d(reduce)]);
    expect(expectedLatency([tf.tensor2d(normal), tf.tensor2d(reduce)], TABLE).dataSync()[0]).toBeCloseTo(inJs(normal, reduce), 3);
    const h = 1e-5;
    let worst = 0;
    for (const [cell, grad] of [
      [0, grads[0]],
      [1, grads[1]],
    ] as const) {
      const analytic = grad?.arraySync() as number[][];
      for (const e of [0, 5, 13]) {
        for (let k = 0; k < PRIMITIVES.length; k++) {
          const shifted = (d: number) => {
            const copy = values.map((m) => m.map((row) => [...row])) as [number[][], number[][]];
            (copy[cell][e] as number[])[k] = ((copy[cell][e] as number[])[k] as number) + d;
            return inJs(...copy);
          };
          const numeric = (shifted(h) - shifted(-h)) / (2 * h);
          const a = analytic[e]?.[k] as number;
          worst = Math.max(worst, Math.abs(a - numeric) / Math.max(1e-3, Math.abs(numeric)));
        }
      }
    }
    expect(worst).toBeLessThan(1e-3);
  });

  it("predicts a genotype's latency as the sum of its chosen ops' entries", () => {
    // DARTS_V2: normal 5 sep_conv_3x3, 2 skip, 1 dil_conv_3x3; reduce 5 max_pool, 3 skip
    const same = (scale: number) => Array.from({ length: CELL_EDGES }, () => PRIMITIVES.map((p) => COST[p] * scale));
    const flat = { ...TABLE, normal: same(1), reduce: same(2) };
    expect(predictedLatency(GENOTYPES.DARTS_V2, flat)).toBeCloseTo(5 * 10 + 2 * 0.5 + 8 + 2 * (5 * 1 + 3 * 0.5), 9);
  });

  it('is added to the architecture step: with a huge weight Adam moves every alpha against its latency gradient', async () => {
    const net = new SearchNetwork({ channels: 2, layers: 3, numClasses: 3, inputShape: [8, 8, 1] }, createRng(1));
    const weight = 1e6;
    const optimizer = new BilevelOptimizer(net, {
      order: 1,
      epochs: 1,
      architecturePenalty: ([n, r]) => tf.mul(weight, expectedLatency([n as tf.Tensor, r as tf.Tensor], TABLE)),
    });
    const before = net.alphaValues();
    const [gradNormal] = tf.grads((n: tf.Tensor) => expectedLatency([n, net.alphas.reduce], TABLE))([net.alphas.normal]);
    const batch = () => ({
      images: tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 5) as tf.Tensor4D,
      labels: tf.cast(tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3), 'float32') as tf.Tensor2D,
    });
    await optimizer.architectureStep(batch(), batch(), 0);
    const after = net.alphaValues();
    const g = gradNormal?.arraySync() as number[][];
    // Adam's first step is -lr * sign(gradient): 3e-4 against the latency gradient on every entry
    const moves = after.normal.flatMap((row, e) =>
      row.map((v, k) => (v - (before.normal[e]?.[k] as number)) * Math.sign(g[e]?.[k] as number)),
    );
    for (const move of moves) expect(move).toBeCloseTo(-3e-4, 6);
    optimizer.dispose();
    net.dispose();
  });
});

describe('the latency table', () => {
  it('is measured on the current backend for every edge of both cell types, none costing 0', async () => {
    await initBackend('cpu');
    const table = await measureLatencyTable({ channels: 2, layers: 3, inputShape: [8, 8, 1], batch: 2, repeats: 1 });
    expect(table.backend).toBe('cpu');
    for (const cell of [table.normal, table.reduce]) {
      expect(cell).toHaveLength(CELL_EDGES);
      for (const row of cell) {
        expect(row[0]).toBe(0);
        expect(row.slice(1).every((ms) => ms >= 0 && Number.isFinite(ms))).toBe(true);
      }
    }
    expect(parseLatencyTable(JSON.parse(JSON.stringify(table)))).toEqual(table);
    expect(() => parseLatencyTable({ ...table, normal: table.normal.slice(1) })).toThrowError(
      /is not a latency table: normal: .*measure one/,
    );
  });
});

describe("a genotype's measured latency", () => {
  it("times each cell's chosen ops together, as the table times each op alone: with a clock that ticks 0.5 ms a reading, 0.5 ms a cell against the table's 0.5 ms an op", async () => {
    await initBackend('cpu');
    let now = 0;
    const clock = () => {
      now += 0.5;
      return now;
    };
    const shapes = { channels: 2, layers: 3, inputShape: [8, 8, 1] as [number, number, number], batch: 2, partialChannels: 1 };
    const table = await measureLatencyTable({ ...shapes, repeats: 3, clock });
    // every op but none is one timed call of 0.5 ms; DARTS_V2 has 8 ops a cell in 3 cells
    expect(predictedLatency(GENOTYPES.DARTS_V2, table)).toBeCloseTo(3 * 8 * 0.5, 9);
    expect(await measureGenotypeLatency(GENOTYPES.DARTS_V2, shapes, { repeats: 3, clock })).toBeCloseTo(3 * 0.5, 9);
  });

  it('is a positive time on the real clock', async () => {
    await initBackend('cpu');
    const ms = await measureGenotypeLatency(GENOTYPES.DARTS_V1, { ...TABLE, batch: 2 }, { repeats: 1 });
    expect(ms).toBeGreaterThan(0);
    expect(Number.isFinite(ms)).toBe(true);
  });
});

describe('a hardware-aware search', () => {
  it("derives a genotype whose predicted latency falls strictly below the unweighted search's on the same seed and data", async () => {
    await initBackend('tensorflow');
    const tableFile = join(await folder(), 'latency.json');
    await writeFile(tableFile, JSON.stringify(TABLE));
    const tiny = { data: SMALL_SHAPES, channels: 2, layers: 3, epochs: 2, batchSize: 4, seed: 2, trainImages: 16, latencyTable: tableFile };
    const plain = await runSearch({ ...tiny, out: await folder() });
    const aware = await runSearch({ ...tiny, out: await folder(), latencyWeight: 100 });
    const plainLatency = predictedLatency(plain.genotype, TABLE);
    const awareLatency = predictedLatency(aware.genotype, TABLE);
    expect(awareLatency).toBeLessThan(plainLatency);
    expect(aware.history.at(-1)?.latency?.predicted).toBeCloseTo(awareLatency, 9);
    expect(aware.history.at(-1)?.latency?.expected).toBeLessThan(plain.history.at(-1)?.latency?.expected as number);
  }, 300_000);

  it("reports as the genotype's measured latency the time its clock measured: 0.5 ms a cell of the table's 3", async () => {
    await initBackend('cpu');
    const tableFile = join(await folder(), 'latency.json');
    await writeFile(tableFile, JSON.stringify(TABLE));
    let now = 0;
    const latencyClock = () => {
      now += 0.5;
      return now;
    };
    const tiny = { data: SMALL_SHAPES, channels: 2, layers: 3, epochs: 1, batchSize: 4, seed: 2, trainImages: 8, latencyTable: tableFile };
    const result = await runSearch({ ...tiny, out: await folder(), latencyWeight: 1, latencyClock });
    expect(result.history[0]?.latency?.measured).toBeCloseTo(1.5, 9);
    expect(result.latency).toEqual({ predicted: predictedLatency(result.genotype, TABLE), measured: 1.5 });
  }, 300_000);

  it('measures its own table into latency.json when given a weight and no table, and refuses a table of another shape', async () => {
    await initBackend('cpu');
    const out = await folder();
    const tiny = { data: SMALL_SHAPES, channels: 2, layers: 3, epochs: 1, batchSize: 2, seed: 2, trainImages: 8 };
    const result = await runSearch({ ...tiny, out, latencyWeight: 0.01 });
    const measured = parseLatencyTable(JSON.parse(await readFile(join(out, LATENCY_FILE), 'utf8')));
    expect(measured).toMatchObject({ backend: 'cpu', channels: 2, layers: 3, batch: 2 });
    expect(result.history[0]?.latency?.predicted).toBeCloseTo(predictedLatency(result.genotype, measured), 9);
    // the genotype's measured latency: reported per epoch, for the final genotype, and in the files, the same number
    const latency = result.history[0]?.latency;
    expect(latency?.measured).toBeGreaterThan(0);
    expect(result.latency).toEqual({ predicted: latency?.predicted, measured: latency?.measured });
    const files = ['genotype.json', 'epoch-001/genotype.json'].map(async (f) => JSON.parse(await readFile(join(out, f), 'utf8')).latency);
    expect(await Promise.all(files)).toEqual([result.latency, latency]);
    expect(JSON.parse(await readFile(join(out, 'search.json'), 'utf8')).history[0].latency).toEqual(latency);
    const other = join(await folder(), 'other.json');
    await writeFile(other, JSON.stringify({ ...TABLE, channels: 4 }));
    await expect(runSearch({ ...tiny, out: await folder(), latencyWeight: 1, latencyTable: other })).rejects.toThrowError(
      /was measured for C=4, 3 cells, 8x8x1, K=1, the search is C=2, 3 cells, 8x8x1, K=1/,
    );
  }, 300_000);
});
