import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '@convkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkMaxSkip, countSkipConnects, GENOTYPES, PRIMITIVES, runSearch, type SearchOptions, skipCollapse } from '../src/index.js';
import { rewriteCheckpointAlphas } from './support/rewrite-checkpoint.js';
import './support/setup.js';
import { SMALL_SHAPES } from './support/small-shapes.js';
import { tempFolders } from './support/temp-folders.js';

const folder = tempFolders('convkit-skip-');

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

// 16 shapes (8x8x1) in two halves of 8, batches of 4: 2 first-order steps an epoch.
const tiny = (out: string): SearchOptions => ({
  data: SMALL_SHAPES,
  out,
  order: 1,
  channels: 2,
  layers: 3,
  epochs: 3,
  batchSize: 4,
  seed: 5,
  trainImages: 16,
});
const MAX_SKIP = 3;

/** Puts +5 on skip_connect on every normal edge of the checkpoint in `out`. */
const forceSkipAlphas = (out: string) =>
  rewriteCheckpointAlphas(out, { channels: 2, layers: 3 }, ({ normal, reduce }) => {
    const skip = PRIMITIVES.indexOf('skip_connect');
    return { normal: normal.map((row) => row.map((v, k) => (k === skip ? v + 5 : v))), reduce };
  });

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
    expect(guarded.stoppedEarly).toEqual({ epoch: 2, reason: 'skip-connects', skipConnects: guarded.history[1]?.skipConnects });
    expect(guarded.history[1]?.stop).toBe('skip-connects');

    const ran = await runSearch({ ...tiny(unguarded), resume: true });
    expect(ran.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(ran.stoppedEarly).toBeUndefined();
  }, 300_000);
});
