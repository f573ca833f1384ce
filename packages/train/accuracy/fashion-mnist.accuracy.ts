import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as classic } from '@convkit/arch-classic';
import { Registry } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import { plugin } from '../src/plugin.js';
import { printEpochs, printResult } from './report.js';

// A measurement, not part of `pnpm test`: run with `pnpm test:accuracy` (needs Debian's
// dataset-fashion-mnist or FASHION_MNIST=DIR). Prints the time per epoch and throughput.
const backend = (process.env.CONVKIT_BACKEND || 'wasm') as 'wasm' | 'cpu' | 'tensorflow';

describe('LeNet-5 on Fashion-MNIST', () => {
  it('reaches at least 89% test accuracy within 10 epochs', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'convkit-fmnist-')), 'run');
    const result = await train({
      registry: new Registry().use(plugin).use(classic),
      arch: 'lenet5',
      data: process.env.FASHION_MNIST ?? 'fashion-mnist',
      epochs: 10,
      batchSize: 64,
      optimizer: 'adam',
      lr: 0.002,
      schedule: 'cosine',
      validationSplit: 0,
      seed: 0,
      backend,
      out,
      callbacks: [printEpochs],
    });
    printResult(result, { out });
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.89);
  });
});
