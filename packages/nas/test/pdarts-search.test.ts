import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '@convkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  countSkipConnects,
  deriveGenotype,
  PRIMITIVES,
  pruneCandidateOps,
  resolveGenotype,
  runSearch,
  SEARCH_FILES,
  type SearchOptions,
} from '../src/index.js';
import { rewriteCheckpointAlphas } from './support/rewrite-checkpoint.js';
import './support/setup.js';
import { SMALL_SHAPES } from './support/small-shapes.js';
import { tempFolders } from './support/temp-folders.js';

const folder = tempFolders('convkit-pdarts-');

// 16 shapes (8x8x1) in two halves of 8, batches of 4: 2 steps an epoch; two stages (3 then 4 cells, 8 then
// 4 ops per edge) of 2 epochs, the first weights-only, skip dropout from 0.3 and 0.6.
const tiny = (out: string): SearchOptions => ({
  data: SMALL_SHAPES,
  out,
  method: 'pdarts',
  channels: 2,
  stageLayers: [3, 4],
  stageOps: [8, 4],
  skipDropout: [0.3, 0.6],
  epochs: 2,
  warmupEpochs: 1,
  skipCap: 1,
  batchSize: 4,
  seed: 7,
  trainImages: 16,
});

/** Runs `options` until `stopAt` (0-based epoch, step) and expects the abort. */
async function runUntil(options: SearchOptions, stopAt: [number, number], message: RegExp): Promise<void> {
  const controller = new AbortController();
  const onProgress: SearchOptions['onProgress'] = (p) => {
    if (p.epoch === stopAt[0] && p.step === stopAt[1]) controller.abort();
  };
  await expect(runSearch({ ...options, signal: controller.signal, onProgress })).rejects.toThrowError(message);
}

describe('a P-DARTS search', () => {
  // the fastest backend here; its kernels are deterministic for fixed shapes, which exact resume needs
  beforeAll(() => initBackend('tensorflow'));

  it('runs its stages (warm-up, scheduled skip dropout, pruned ops, capped genotype), and stopped mid-stage and resumed ends with bit-identical alphas', async () => {
    const whole = await folder();
    const uninterrupted = await runSearch(tiny(whole));
    const history = uninterrupted.history;
    expect(history.map((e) => [e.epoch, e.stage, e.alphasTrained])).toEqual([
      [1, 1, false],
      [2, 1, true],
      [3, 2, false],
      [4, 2, true],
    ]);
    // the schedule: 0.3 * (2 - 0 - 1) / 2 in warm-up, then the full rate as the alphas start
    expect(history.map((e) => e.skipDropout)).toEqual([0.15, 0.3, 0.3, 0.6]);
    const ops = uninterrupted.alphas.ops;
    expect(ops?.normal.every((row) => row.length === 4)).toBe(true);
    expect(uninterrupted.alphas.normal[0]).toHaveLength(4);
    const stage2 = JSON.parse(await readFile(join(whole, SEARCH_FILES.epochFolder(3), 'alphas.json'), 'utf8'));
    expect(stage2.alphas.ops).toEqual(ops);
    expect(await readFile(join(whole, SEARCH_FILES.epochFolder(3), 'alphas.svg'), 'utf8')).toContain('reduction cell');
    // the final genotype: the last stage's alphas over its candidates, at most 1 normal skip
    expect(uninterrupted.genotype).toEqual(deriveGenotype(uninterrupted.alphas, { skipCap: 1 }));
    expect(countSkipConnects(uninterrupted.genotype).normal).toBeLessThanOrEqual(1);
    expect(resolveGenotype(uninterrupted.genotypeFile)).toEqual(uninterrupted.genotype);

    // stopped in stage 2's first epoch (resume prunes from stage 1's checkpointed alphas), then in
    // its second (resume rebuilds stage 2 from the checkpointed candidates), then run to the end
    const stopped = await folder();
    await runUntil(tiny(stopped), [2, 0], /search stopped in epoch 3; continue it with --resume/);
    await runUntil({ ...tiny(stopped), resume: true }, [3, 0], /search stopped in epoch 4/);
    const resumed = await runSearch({ ...tiny(stopped), resume: true });
    expect(resumed.alphas).toEqual(uninterrupted.alphas);
    expect(resumed.genotype).toEqual(uninterrupted.genotype);
    expect(resumed.history.map((e) => e.validationLoss)).toEqual(history.map((e) => e.validationLoss));
  }, 300_000);

  it("ends a stage early once DARTS+'s ranking rule holds (stableEpochs), and prunes from the alphas it stopped at", async () => {
    const options: SearchOptions = { ...tiny(await folder()), stageLayers: [3, 3], epochs: 3, stableEpochs: 1 };
    const controller = new AbortController();
    await expect(runSearch({ ...options, signal: controller.signal, onEpoch: () => controller.abort() })).rejects.toThrowError(
      /search stopped in epoch 2/,
    );
    // alphas 10 apart in column order: a few Adam steps of 6e-4 cannot reorder them
    await rewriteCheckpointAlphas(options.out, { channels: 2, layers: 3 }, ({ normal, reduce }) => ({
      normal: normal.map((row) => row.map((_, k) => 10 * k)),
      reduce: reduce.map((row) => row.map((_, k) => 10 * k)),
    }));
    // resumed, it trains the alphas in epoch 2, sees their ranking held and ends stage 1 there: the
    // next step is stage 2's, in epoch 3 of 6, over the 4 ops the forced alphas rank highest
    const next: { epoch: number; stage: number }[] = [];
    const stopped = new AbortController();
    const onProgress: SearchOptions['onProgress'] = (p) => {
      next.push({ epoch: p.epoch, stage: p.stage });
      if (p.stage === 2) stopped.abort();
    };
    await expect(runSearch({ ...options, resume: true, signal: stopped.signal, onProgress })).rejects.toThrowError(
      /search stopped in epoch 3/,
    );
    expect(next.map((p) => p.epoch)).toEqual([1, 1, 2]);
    expect(next.at(-1)?.stage).toBe(2);
    const { history } = JSON.parse(await readFile(join(options.out, SEARCH_FILES.history), 'utf8'));
    expect(history[1]).toMatchObject({ epoch: 2, stage: 1, alphasTrained: true, rankingUnchanged: 1, stop: 'stable-ranking' });
    const pruned = pruneCandidateOps(JSON.parse(await readFile(join(options.out, SEARCH_FILES.alphas), 'utf8')).alphas, 4);
    expect(pruned.normal.every((row) => JSON.stringify(row) === JSON.stringify(PRIMITIVES.slice(4)))).toBe(true);
  }, 300_000);
});
