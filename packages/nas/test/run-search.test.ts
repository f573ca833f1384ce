import { readFile, writeFile } from 'node:fs/promises';
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

  it('refuses to resume with other settings (learning rates too), or where nothing was checkpointed', async () => {
    await expect(runSearch({ ...tiny(whole), seed: 4, resume: true })).rejects.toThrowError(/resume with the same settings/);
    for (const rate of [{ learningRate: 0.05 }, { archLearningRate: 1e-3 }, { archWeightDecay: 0 }])
      await expect(runSearch({ ...tiny(whole), ...rate, resume: true })).rejects.toThrowError(/resume with the same settings/);
    await expect(runSearch({ ...tiny(await folder()), resume: true })).rejects.toThrowError(
      /nothing to resume in .*; start without --resume/,
    );
  });

  it('a checkpoint from before the learning rates were settings resumes at their defaults and refuses others', async () => {
    const manifest = join(whole, SEARCH_FILES.checkpoint, 'search-checkpoint.json');
    const original = await readFile(manifest, 'utf8');
    const legacy = JSON.parse(original);
    for (const key of ['learningRate', 'minLearningRate', 'archLearningRate', 'archWeightDecay']) delete legacy.settings[key];
    await writeFile(manifest, JSON.stringify(legacy));
    try {
      await expect(runSearch({ ...tiny(whole), archLearningRate: 1e-3, resume: true })).rejects.toThrowError(
        /resume with the same settings/,
      );
      // all epochs were done: the resume only derives the genotype again
      expect((await runSearch({ ...tiny(whole), resume: true })).alphas).toEqual(uninterrupted.alphas);
    } finally {
      await writeFile(manifest, original);
    }
  });
});

describe("runSearch's learning rates", () => {
  // One epoch of 2 first-order steps: the alphas after it depend on both optimizers' rates.
  const quick = async (rates: Pick<SearchOptions, 'learningRate' | 'archLearningRate' | 'archWeightDecay'>) =>
    (await runSearch({ ...tiny(await folder()), order: 1, epochs: 1, ...rates })).alphas;

  it('--learning-rate, --arch-learning-rate and --arch-weight-decay reach the optimizers: each changes the alphas, the defaults are the reference rates', async () => {
    await initBackend('tensorflow');
    const defaults = await quick({});
    expect(await quick({ learningRate: 0.025, archLearningRate: 3e-4, archWeightDecay: 1e-3 })).toEqual(defaults);
    for (const rates of [{ learningRate: 0.1 }, { archLearningRate: 3e-2 }, { archWeightDecay: 10 }])
      expect(await quick(rates), JSON.stringify(rates)).not.toEqual(defaults);
  }, 400_000);

  it('refuses rates out of range in one line naming the flag', async () => {
    const out = await folder();
    await expect(runSearch({ ...tiny(out), learningRate: 0.0005 })).rejects.toThrowError(
      "learning rate must be a positive number of at least the cosine schedule's final 0.001, got 0.0005; try --learning-rate 0.025",
    );
    await expect(runSearch({ ...tiny(out), archLearningRate: 0 })).rejects.toThrowError(
      'architecture learning rate must be a positive number, got 0; try --arch-learning-rate 0.0003',
    );
    await expect(runSearch({ ...tiny(out), archWeightDecay: -1 })).rejects.toThrowError(
      'architecture weight decay must be a number of at least 0, got -1; try --arch-weight-decay 0.001',
    );
  });
});
