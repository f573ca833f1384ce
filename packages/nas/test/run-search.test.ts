import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend, registry } from '@convkit/core';
import { plugin as trainPlugin } from '@convkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveGenotype, runSearch, SEARCH_FILES, type SearchOptions } from '../src/index.js';
import './support/setup.js';
import { tempFolders } from './support/temp-folders.js';

if (!registry.datasets.has('shapes')) registry.use(trainPlugin);

const folder = tempFolders('convkit-search-');

// 24 shapes (28x28x1) in two halves of 12, batches of 4: 3 steps an epoch, second order.
const tiny = (out: string): SearchOptions => ({
  data: 'shapes',
  out,
  order: 2,
  channels: 2,
  layers: 3,
  epochs: 3,
  batchSize: 4,
  seed: 3,
  trainImages: 24,
});

describe('runSearch', () => {
  // the fastest backend here; its kernels are deterministic for fixed shapes, which exact resume needs
  beforeAll(() => initBackend('tensorflow'));

  it('writes per-epoch alphas, genotype and heatmap, and a search stopped mid-epoch and resumed ends with bit-identical alphas', async () => {
    const whole = await folder();
    const epochs: number[] = [];
    const etas: number[] = [];
    const uninterrupted = await runSearch({
      ...tiny(whole),
      onEpoch: (e) => epochs.push(e.epoch),
      onProgress: (p) => etas.push(p.etaSeconds),
    });
    expect(epochs).toEqual([1, 2, 3]);
    expect(etas).toHaveLength(9);
    expect(etas.at(-1)).toBe(0);
    for (const epoch of [1, 2, 3]) {
      const epochFolder = join(whole, SEARCH_FILES.epochFolder(epoch));
      const alphas = JSON.parse(await readFile(join(epochFolder, 'alphas.json'), 'utf8'));
      expect(alphas.alphas.normal).toHaveLength(14);
      expect(alphas.alphas.normal[0]).toHaveLength(8);
      const png = await readFile(join(epochFolder, 'alphas.png'));
      expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
      expect(await readFile(join(epochFolder, 'alphas.svg'), 'utf8')).toContain('sep_conv_3x3');
    }
    expect(resolveGenotype(uninterrupted.genotypeFile)).toEqual(uninterrupted.genotype);

    const stopped = await folder();
    const controller = new AbortController();
    await expect(
      runSearch({
        ...tiny(stopped),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.epoch === 1 && p.step === 1) controller.abort();
        },
      }),
    ).rejects.toThrowError(/search stopped in epoch 2; continue it with --resume/);
    const resumed = await runSearch({ ...tiny(stopped), resume: true });
    expect(resumed.alphas).toEqual(uninterrupted.alphas);
    expect(resumed.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(resumed.history.map((e) => e.validationLoss)).toEqual(uninterrupted.history.map((e) => e.validationLoss));
  }, 400_000);

  it('refuses to resume with other settings, or where nothing was checkpointed', async () => {
    const out = await folder();
    await runSearch({ ...tiny(out), epochs: 1 });
    await expect(runSearch({ ...tiny(out), epochs: 1, seed: 4, resume: true })).rejects.toThrowError(/resume with the same settings/);
    await expect(runSearch({ ...tiny(await folder()), resume: true })).rejects.toThrowError(
      /nothing to resume in .*; start without --resume/,
    );
  });
});
