import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as modern } from '@convkit/arch-modern';
import { Registry } from '@convkit/core';
import { plugin as layers } from '@convkit/layers';
import { describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import { plugin } from '../src/plugin.js';
import { printEpochs, printResult } from './report.js';

// A measurement, not part of `pnpm test`: run with `pnpm test:accuracy -- resnet20` (needs Debian's
// dataset-fashion-mnist or FASHION_MNIST=DIR; hours on wasm or cpu, use CONVKIT_BACKEND=tensorflow).
// The trainer builds ResNet-20 for the data's 28x28x1 images (its last stage is then 7x7, not 8x8);
// crop:4 pads by 4 and crops back to 28, the CIFAR recipe of He et al. 2016, section 4.2: SGD with
// momentum 0.9, weight decay 1e-4, batch 128, learning rate 0.1 annealed (cosine here).
const backend = (process.env.CONVKIT_BACKEND || 'tensorflow') as 'wasm' | 'cpu' | 'tensorflow';
const epochs = Number(process.env.RESNET20_EPOCHS ?? 30);

describe('ResNet-20 (option A) on Fashion-MNIST', () => {
  it(`reaches at least 93.5% test accuracy within ${epochs} epochs`, async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'convkit-resnet20-fmnist-')), 'run');
    const result = await train({
      registry: new Registry().use(plugin).use(layers).use(modern),
      arch: 'resnet20',
      data: process.env.FASHION_MNIST ?? 'fashion-mnist',
      epochs,
      batchSize: 128,
      optimizer: 'sgd',
      momentum: 0.9,
      weightDecay: 1e-4,
      lr: 0.1,
      schedule: 'cosine',
      augment: 'crop:4,flip',
      validationSplit: 0,
      seed: 0,
      backend,
      out,
      callbacks: [printEpochs],
    });
    printResult(result, { epochs, out });
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.935);
  });
});
