import { readFile } from 'node:fs/promises';
import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { CELL_EDGES, CELL_STEPS, planCells } from '../cell-geometry.js';
import { PRIMITIVES, primitive } from '../primitives.js';
import { collectLayers } from '../unit.js';

/**
 * What each candidate op costs in a search network, per cell type: `normal[e][k]` is the time (ms)
 * of primitive k on edge e summed over all the normal cells (they share one alpha matrix, so their
 * costs add), likewise `reduce`; `none` costs 0. The JSON form is this object, with the network and
 * backend it was measured for.
 */
export interface LatencyTable {
  backend: string;
  /** Images per measured call. */
  batch: number;
  channels: number;
  layers: number;
  inputShape: [number, number, number];
  partialChannels: number;
  normal: number[][];
  reduce: number[][];
}

const matrix = z.array(z.array(z.number().nonnegative()).length(PRIMITIVES.length)).length(CELL_EDGES);
const tableSchema = z.object({
  backend: z.string(),
  batch: z.number().int().positive(),
  channels: z.number().int().positive(),
  layers: z.number().int().positive(),
  inputShape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  partialChannels: z.number().int().positive(),
  normal: matrix,
  reduce: matrix,
});

/** Validates a latency table read from JSON; a bad one is a one-line {@link ConvkitError}. */
export function parseLatencyTable(value: unknown, source = 'latency table'): LatencyTable {
  const parsed = tableSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConvkitError(
      'bad-latency-table',
      `${source} is not a latency table: ${issue?.path.join('.') || 'value'}: ${issue?.message}; measure one with convkit search --latency-weight (it writes latency.json)`,
    );
  }
  return parsed.data as LatencyTable;
}

/** Reads a latency table file (as `convkit search` writes it). */
export async function readLatencyTable(path: string): Promise<LatencyTable> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new ConvkitError(
      'missing-file',
      `latency table ${path} not found; give a file written by convkit search, or leave it out to measure`,
    );
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConvkitError(
      'bad-latency-table',
      `latency table ${path} is not JSON; measure a new one with convkit search --latency-weight`,
    );
  }
  return parseLatencyTable(json, path);
}

/** Options of {@link measureLatencyTable}. */
export interface LatencyMeasureOptions {
  channels: number;
  layers: number;
  /** Height, width, channels of the images. */
  inputShape: [number, number, number];
  /** The search's partial channels K: ops run on channels / K (1, DARTS, by default). */
  partialChannels?: number;
  /** Images per timed call (the search's batch size; 8 by default). */
  batch?: number;
  /** Timed calls per measurement, after one warm-up; the median is kept (5 by default). */
  repeats?: number;
  /** The timer, in ms (`performance.now` by default); a test passes its own to know what is reported. */
  clock?: () => number;
}

/** One op of a search network at one edge, as the latency table times it. */
export interface TimedOp {
  /** Index into {@link PRIMITIVES}. */
  op: number;
  /** The edge's input: batch, height, width, channels (after the partial-channel split). */
  shape: [number, number, number, number];
  stride: 1 | 2;
}

/** An edge's place in a cell and the input its ops see. */
export type LatencyEdge = Omit<TimedOp, 'op'>;

/** One cell of a search network as the latency table sees it: its type and its 14 edges in alpha order. */
export interface LatencyCell {
  reduction: boolean;
  edges: LatencyEdge[];
}

/** Median of a non-empty list. */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/**
 * Every cell of a search network with the input shape and stride of each of its edges: a reduction
 * cell's edges from its two inputs run at stride 2 on the larger map, every other edge on the cell's
 * output map, at the cell's width over K.
 */
export function latencyCells(options: LatencyMeasureOptions): LatencyCell[] {
  const k = options.partialChannels ?? 1;
  const batch = options.batch ?? 8;
  const [height, width] = options.inputShape;
  let size = [height, width] as [number, number];
  return planCells(options.channels, options.layers).map((plan) => {
    const after: [number, number] = plan.reduction ? [size[0] / 2, size[1] / 2] : size;
    const edges: LatencyEdge[] = [];
    for (let node = 0; node < CELL_STEPS; node++) {
      for (let source = 0; source < node + 2; source++) {
        const stride = plan.reduction && source < 2 ? 2 : 1;
        const [h, w] = stride === 2 ? size : after;
        edges.push({ shape: [batch, h, w, plan.channels / k], stride });
      }
    }
    size = after;
    return { reduction: plan.reduction, edges };
  });
}

/**
 * Milliseconds of one inference call of `ops`, built alone on random inputs of their shapes and run
 * together, their outputs read back: the median of `repeats` calls after one warm-up. Both the
 * latency table (one op per call) and a genotype's measured latency (a cell's chosen ops per call)
 * are timed here, so they measure alike.
 */
export async function timeOps(ops: TimedOp[], options: Pick<LatencyMeasureOptions, 'repeats' | 'clock'> = {}): Promise<number> {
  const repeats = options.repeats ?? 5;
  const clock = options.clock ?? (() => performance.now());
  const built = ops.map(({ op, stride, shape }) => {
    const name = PRIMITIVES[op] as (typeof PRIMITIVES)[number];
    return collectLayers(() => primitive(name, `latency.${name}`, { channels: shape[3], stride, affine: false, search: true }));
  });
  const runs = built.flatMap(({ built: unit }, i) => (unit ? [{ unit, x: tf.randomNormal((ops[i] as TimedOp).shape) }] : []));
  if (runs.length === 0) return 0; // `none` alone
  try {
    const run = async () => {
      const ys = tf.tidy(() => runs.map(({ unit, x }) => unit(x, { training: false }) as tf.Tensor));
      await Promise.all(ys.map((y) => y.data()));
      ys.forEach((y, i) => {
        if (y !== runs[i]?.x) y.dispose(); // skip_connect at stride 1 returns its input
      });
    };
    await run(); // builds the layers and warms the kernels
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const start = clock();
      await run();
      times.push(clock() - start);
    }
    return median(times);
  } finally {
    for (const { x } of runs) x.dispose();
    for (const { layers } of built) for (const layer of layers) for (const w of layer.weights) w.dispose();
  }
}

/**
 * Measures every primitive at every edge shape of a search network on the current backend
 * (ProxylessNAS's latency lookup table, Cai et al. 2019): each op is built alone, warmed once and
 * timed `repeats` times on a batch at the edge's input size, channels and stride ({@link timeOps}).
 * Edges of equal shape are timed once. The op-independent parts of a cell (preprocessing, the
 * partial-channel bypass) are left out: they do not change with the architecture.
 */
export async function measureLatencyTable(options: LatencyMeasureOptions): Promise<LatencyTable> {
  const table = { normal: zeros(), reduce: zeros() };
  const measured = new Map<string, number[]>();
  for (const cell of latencyCells(options)) {
    const rows = cell.reduction ? table.reduce : table.normal;
    for (const [e, { shape, stride }] of cell.edges.entries()) {
      const key = `${shape.join('x')}/${stride}`;
      let costs = measured.get(key);
      if (!costs) {
        costs = [];
        for (let op = 0; op < PRIMITIVES.length; op++) costs.push(await timeOps([{ op, shape, stride }], options));
        measured.set(key, costs);
      }
      const row = rows[e] as number[];
      costs.forEach((c, op) => {
        row[op] = (row[op] as number) + c;
      });
    }
  }
  return {
    backend: tf.getBackend(),
    batch: options.batch ?? 8,
    channels: options.channels,
    layers: options.layers,
    inputShape: options.inputShape,
    partialChannels: options.partialChannels ?? 1,
    ...table,
  };
}

function zeros(): number[][] {
  return Array.from({ length: CELL_EDGES }, () => PRIMITIVES.map(() => 0));
}
