import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '@convkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveGenotype, runSearch, SEARCH_FILES, type SearchOptions, type SearchResult } from '../src/index.js';
import './support/setup.js';
import { SMALL_SHAPES } from './support/small-shapes.js';
import { tempFolders } from './support/temp-folders.js';

const folder = tempFolders('convkit-search-');

// 16 shapes (8x8x1) in two halves of 8, batches of 4: 2 steps an epoch, second order. Two epochs
// are the fewest that resume from a checkpoint into an epoch the uninterrupted run also trains.
const tiny = (out: string): SearchOptions => ({
  data: SMALL_SHAPES,
  out,
  order: 2,
  channels: 2,
  layers: 3,
  epochs: 2,
  batchSize: 4,
  seed: 3,
  trainImages: 16,
});

describe('runSearch', () => {
  // One uninterrupted search, the reference of both cases.
  let whole: string;
  let uninterrupted: SearchResult;
  const epochs: number[] = [];
  const etas: number[] = [];
  beforeAll(async () => {
    // the fastest backend here; its kernels are deterministic for fixed shapes, which exact resume needs
    await initBackend('tensorflow');
    whole = await folder();
    uninterrupted = await runSearch({
      ...tiny(whole),
      onEpoch: (e) => epochs.push(e.epoch),
      onProgress: (p) => etas.push(p.etaSeconds),
    });
  }, 400_000);

  it('writes per-epoch alphas, genotype and heatmap, and a search stopped mid-epoch and resumed ends with bit-identical alphas', async () => {
    expect(epochs).toEqual([1, 2]);
    expect(etas).toHaveLength(4);
    expect(etas.at(-1)).toBe(0);
    for (const epoch of [1, 2]) {
      const epochFolder = join(whole, SEARCH_FILES.epochFolder(epoch));
      const alphas = JSON.parse(await readFile(join(epochFolder, 'alphas.json'), 'utf8'));
      expect(alphas.alphas.normal).toHaveLength(14);
      expect(alphas.alphas.normal[0]).toHaveLength(8);
      const png = await readFile(join(epochFolder, 'alphas.png'));
      expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
      expect(await readFile(join(epochFolder, 'alphas.svg'), 'utf8')).toContain('sep_conv_3x3');
    }
    expect(resolveGenotype(uninterrupted.genotypeFile)).toEqual(uninterrupted.genotype);

    // stopped after the first step of epoch 2: the resume starts from epoch 1's checkpoint
    const stopped = await folder();
    const controller = new AbortController();
    await expect(
      runSearch({
        ...tiny(stopped),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.epoch === 1 && p.step === 0) controller.abort();
        },
      }),
    ).rejects.toThrowError(/search stopped in epoch 2; continue it with --resume/);
    const resumed = await runSearch({ ...tiny(stopped), resume: true });
    expect(resumed.alphas).toEqual(uninterrupted.alphas);
    expect(resumed.history.map((e) => e.epoch)).toEqual([1, 2]);
    expect(resumed.history.map((e) => e.validationLoss)).toEqual(uninterrupted.history.map((e) => e.validationLoss));
  }, 400_000);

  it('refuses to resume with other settings, or where nothing was checkpointed', async () => {
    await expect(runSearch({ ...tiny(whole), seed: 4, resume: true })).rejects.toThrowError(/resume with the same settings/);
    await expect(runSearch({ ...tiny(await folder()), resume: true })).rejects.toThrowError(
      /nothing to resume in .*; start without --resume/,
    );
  });
});
