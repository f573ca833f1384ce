import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend, registry } from '@convkit/core';
import { openDataset, plugin as trainPlugin } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkMaxSkip,
  countSkipConnects,
  GENOTYPES,
  PRIMITIVES,
  readSearchCheckpoint,
  runSearch,
  SEARCH_FILES,
  SearchNetwork,
  type SearchOptions,
  skipCollapse,
  writeSearchCheckpoint,
} from '../src/index.js';
import './support/setup.js';

if (!registry.datasets.has('shapes')) registry.use(trainPlugin);

const folders: string[] = [];
async function folder(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'convkit-skip-'));
  folders.push(path);
  return path;
}
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

describe('the skip-connect count', () => {
  it("counts DARTS_V1's 3 normal and 3 reduction skip-connects and DARTS_V2's 2 and 3", () => {
    expect(countSkipConnects(GENOTYPES.DARTS_V1)).toEqual({ normal: 3, reduce: 3 });
    expect(countSkipConnects(GENOTYPES.DARTS_V2)).toEqual({ normal: 2, reduce: 3 });
  });

  it('collapses at maxSkip or more normal skip-connects, never on the reduction cell, never without a guard', () => {
    expect(skipCollapse({ normal: 2, reduce: 0 }, 2)).toBe(true);
    expect(skipCollapse({ normal: 3, reduce: 0 }, 2)).toBe(true);
    expect(skipCollapse({ normal: 1, reduce: 8 }, 2)).toBe(false);
    expect(skipCollapse({ normal: 8, reduce: 8 }, undefined)).toBe(false);
  });

  it('refuses a maxSkip that is not a positive integer', () => {
    expect(() => checkMaxSkip(0)).toThrowError(/max skip-connects must be a positive integer, got 0; try --max-skip 2/);
    expect(() => checkMaxSkip(1.5)).toThrowError(/got 1.5/);
  });
});

// 24 shapes in two halves of 12, batches of 4: 3 first-order steps an epoch.
const tiny = (out: string): SearchOptions => ({
  data: 'shapes',
  out,
  order: 1,
  channels: 2,
  layers: 3,
  epochs: 3,
  batchSize: 4,
  seed: 5,
  trainImages: 24,
});
const MAX_SKIP = 3;

/** Rewrites the checkpoint in `out` with normal alphas that put +5 on skip_connect on every edge. */
async function forceSkipAlphas(out: string): Promise<void> {
  const { train } = await openDataset('shapes', registry, { seed: 5 });
  const net = new SearchNetwork({ channels: 2, layers: 3, numClasses: train.numClasses, inputShape: train.shape }, createRng(0));
  try {
    const folder = join(out, SEARCH_FILES.checkpoint);
    const checkpoint = await readSearchCheckpoint(folder, net);
    const skip = PRIMITIVES.indexOf('skip_connect');
    const normal = net.alphaValues().normal.map((row) => row.map((v, k) => (k === skip ? v + 5 : v)));
    net.alphas.normal.assign(tf.tensor2d(normal));
    await writeSearchCheckpoint(folder, net, checkpoint);
  } finally {
    net.dispose();
  }
}

describe('the skip-connection collapse guard', () => {
  beforeAll(() => initBackend('tensorflow'));

  it('reports the skip-connects each epoch and stops at the epoch whose normal cell reaches --max-skip', async () => {
    const out = await folder();
    const controller = new AbortController();
    const first: number[] = [];
    await expect(
      runSearch({
        ...tiny(out),
        maxSkip: MAX_SKIP,
        signal: controller.signal,
        onEpoch: (e) => {
          first.push(e.skipConnects.normal);
          controller.abort();
        },
      }),
    ).rejects.toThrowError(/search stopped in epoch 2/);
    // the unforced first epoch stays under the guard, so only the forced alphas can trip it
    expect(first).toHaveLength(1);
    expect(first[0]).toBeLessThan(MAX_SKIP);

    await forceSkipAlphas(out);
    const unguarded = join(await folder(), 'copy');
    await cp(out, unguarded, { recursive: true });

    const guarded = await runSearch({ ...tiny(out), maxSkip: MAX_SKIP, resume: true });
    expect(guarded.history.map((e) => e.epoch)).toEqual([1, 2]);
    expect(guarded.history[1]?.skipConnects.normal).toBe(8);
    expect(guarded.stoppedEarly).toEqual({ epoch: 2, skipConnects: guarded.history[1]?.skipConnects, maxSkip: MAX_SKIP });

    const ran = await runSearch({ ...tiny(unguarded), resume: true });
    expect(ran.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(ran.stoppedEarly).toBeUndefined();
  }, 300_000);
});
