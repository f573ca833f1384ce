import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import type { TrainOptions } from '../src/api/train-options.js';
import { type HeadWeights, initialHeads, knownGradientPlugin, lossAndGradients } from './fixtures/known-gradient.js';
import { testRegistry } from './fixtures/test-registry.js';
import { freshOut } from './fixtures/train-options.js';

// Each training option, given to train() as a user gives it, must change the weights of a run exactly
// as its formula says. The model and data have gradients known by hand (fixtures/known-gradient.ts),
// one step per epoch (the batch holds all six images), and the expected weights are worked out here
// in float64 from the formulas, independently of the trainer's tensors.

interface Recipe {
  heads?: 1 | 2;
  epochs?: number;
  optimizer: 'sgd' | 'nesterov' | 'adam' | 'adamw';
  lr: number;
  momentum?: number;
  weightDecay?: number;
  clipNorm?: number;
  lossWeights?: number[];
  labelSmoothing?: number;
  schedule?: 'constant' | 'step' | 'cosine' | 'one-cycle';
  warmupEpochs?: number;
}

/** Learning rate at step `t` of `total` (one step per epoch), as each schedule's paper defines it. */
function scheduledRate(recipe: Recipe, t: number, total: number): number {
  const lr = recipe.lr;
  const cosine = (from: number, to: number, progress: number) => to + ((from - to) * (1 + Math.cos(Math.PI * progress))) / 2;
  let rate: number;
  switch (recipe.schedule ?? 'constant') {
    case 'constant':
      rate = lr;
      break;
    case 'step': // x0.1 every third of the run
      rate = lr * 0.1 ** Math.floor(t / Math.max(1, Math.floor(total / 3)));
      break;
    case 'cosine': // SGDR without restarts: lr/2 (1 + cos(pi t / T))
      rate = cosine(lr, 0, t / total);
      break;
    case 'one-cycle': {
      // up from lr/25 to lr over 30% of the steps, then down to lr/25/1e4, both by cosine
      const peak = Math.round(0.3 * total);
      rate = t < peak ? cosine(lr / 25, lr, t / peak) : cosine(lr, lr / 25 / 1e4, (t - peak) / (total - peak));
      break;
    }
  }
  const warmup = recipe.warmupEpochs ?? 0;
  return t < warmup ? (rate * (t + 1)) / warmup : rate;
}

/** The run worked out by hand: weights and loss of every step, optimizer formulas in float64. */
function expectedRun(recipe: Recipe): { heads: HeadWeights[]; losses: number[]; rates: number[] } {
  const count = recipe.heads ?? 1;
  const epochs = recipe.epochs ?? 1;
  const lossWeights = recipe.lossWeights ?? (count === 1 ? [1] : [1, 0.3]);
  const heads = initialHeads(count);
  // Flat views of every weight, kernels first in each head; only kernels (rank 2) are decayed.
  const params = heads.flatMap((h) => [
    { values: h.kernel, decayed: true },
    { values: h.bias, decayed: false },
  ]);
  const slots = params.map((p) => ({ m: p.values.map(() => 0), v: p.values.map(() => 0) }));
  const mu = recipe.momentum ?? 0.9;
  const wd = recipe.weightDecay ?? 0;
  const losses: number[] = [];
  const rates: number[] = [];
  for (let t = 0; t < epochs; t++) {
    const lr = scheduledRate(recipe, t, epochs);
    rates.push(lr);
    const { loss, gradients } = lossAndGradients(heads, lossWeights, recipe.labelSmoothing ?? 0);
    losses.push(loss);
    let grads = gradients.flatMap((g) => [g.kernel, g.bias]);
    if (recipe.clipNorm !== undefined) {
      const norm = Math.sqrt(grads.flat().reduce((s, g) => s + g * g, 0));
      const scale = Math.min(1, recipe.clipNorm / (norm + 1e-6));
      grads = grads.map((g) => g.map((v) => v * scale));
    }
    params.forEach((p, i) => {
      const slot = slots[i] as { m: number[]; v: number[] };
      const decayed = p.decayed && wd > 0;
      p.values.forEach((w, j) => {
        let g = (grads[i] as number[])[j] as number;
        if (decayed && recipe.optimizer !== 'adamw') g += wd * w; // L2 in the gradient
        let step: number;
        if (recipe.optimizer === 'sgd' || recipe.optimizer === 'nesterov') {
          const v = mu * (slot.m[j] as number) + g;
          slot.m[j] = v;
          step = recipe.optimizer === 'nesterov' ? g + mu * v : v;
        } else {
          const m = 0.9 * (slot.m[j] as number) + 0.1 * g;
          const v = 0.999 * (slot.v[j] as number) + 0.001 * g * g;
          slot.m[j] = m;
          slot.v[j] = v;
          step = m / (1 - 0.9 ** (t + 1)) / (Math.sqrt(v / (1 - 0.999 ** (t + 1))) + 1e-8);
        }
        let next = w - lr * step;
        if (decayed && recipe.optimizer === 'adamw') next -= lr * wd * w; // decoupled (Loshchilov & Hutter)
        p.values[j] = next;
      });
    });
  }
  return { heads, losses, rates };
}

/** Trains the known-gradient model with `recipe` through train() and reads back what it did. */
async function actualRun(recipe: Recipe): Promise<{ heads: HeadWeights[]; losses: number[]; rates: number[] }> {
  const out = await freshOut();
  const { heads = 1, ...options } = recipe;
  await train({
    ...(options as Partial<TrainOptions>),
    arch: heads === 1 ? 'softmax-regression' : 'softmax-regression-two-head',
    data: 'plus-minus',
    epochs: recipe.epochs ?? 1,
    batchSize: 8,
    validationSplit: 0,
    backend: 'cpu',
    out,
    registry: testRegistry().use(knownGradientPlugin),
  });
  const model = await loadModel(join(out, 'model'));
  const weights = ['main', 'aux'].slice(0, heads).map((name) => {
    const [kernel, bias] = model.getLayer(name).getWeights();
    return { kernel: Array.from(kernel?.dataSync() ?? []), bias: Array.from(bias?.dataSync() ?? []) };
  });
  model.dispose();
  const steps = (await readFile(join(out, 'metrics.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.type === 'step');
  return { heads: weights, losses: steps.map((s) => s.loss), rates: steps.map((s) => s.learningRate) };
}

const close = (actual: number[], expected: number[], tolerance: number, what: string) => {
  expect(actual.length, what).toBe(expected.length);
  for (const [i, a] of actual.entries()) {
    expect(Math.abs(a - (expected[i] as number)), `${what}[${i}]: ${a} vs ${expected[i]}`).toBeLessThan(tolerance);
  }
};

/** Runs `recipe` both ways and demands the same weights, losses and learning rates. */
async function expectFormula(recipe: Recipe): Promise<void> {
  const [actual, expected] = [await actualRun(recipe), expectedRun(recipe)];
  close(actual.rates, expected.rates, 1e-9, 'learning rates');
  close(actual.losses, expected.losses, 2e-6, 'losses');
  expected.heads.forEach((h, i) => {
    close(actual.heads[i]?.kernel ?? [], h.kernel, 2e-6, `head ${i} kernel`);
    close(actual.heads[i]?.bias ?? [], h.bias, 2e-6, `head ${i} bias`);
  });
}

describe('each training option changes the weights as its formula says', () => {
  it('one SGD step moves every weight by -lr times the batch-mean gradient; the first loss is ln 3', async () => {
    await expectFormula({ optimizer: 'sgd', momentum: 0, lr: 0.5 });
    expect(expectedRun({ optimizer: 'sgd', lr: 0.5 }).losses[0]).toBeCloseTo(Math.log(3), 12);
  });

  it('weight decay adds wd * w to the kernels gradient (L2), not to the biases', async () => {
    await expectFormula({ optimizer: 'sgd', momentum: 0, lr: 0.5, weightDecay: 0.1 });
  });

  it('weight decay with Adam is the coupled L2 term, inside the moments', async () => {
    await expectFormula({ optimizer: 'adam', lr: 0.01, weightDecay: 0.5, epochs: 2 });
  });

  it('AdamW decays kernels by lr * wd * w outside the moments (decoupled)', async () => {
    await expectFormula({ optimizer: 'adamw', lr: 0.01, weightDecay: 0.5, epochs: 2 });
  });

  it('clipping scales every gradient by clipNorm / global L2 norm when the norm is above it', async () => {
    await expectFormula({ optimizer: 'sgd', momentum: 0, lr: 0.5, clipNorm: 0.05, heads: 2 });
  });

  it('label smoothing trains toward y (1 - e) + e / K', async () => {
    await expectFormula({ optimizer: 'sgd', momentum: 0, lr: 0.5, labelSmoothing: 0.3 });
  });

  it('an auxiliary head trains at its loss weight, 0.3 by default, and the loss is the weighted sum', async () => {
    await expectFormula({ optimizer: 'sgd', momentum: 0, lr: 0.5, heads: 2 });
    expect(expectedRun({ optimizer: 'sgd', lr: 0.5, heads: 2 }).losses[0]).toBeCloseTo(1.3 * Math.log(3), 12);
    await expectFormula({ optimizer: 'sgd', momentum: 0, lr: 0.5, heads: 2, lossWeights: [0.5, 2] });
  });

  it('SGD momentum accumulates v = mu v + g over steps (default mu 0.9)', async () => {
    await expectFormula({ optimizer: 'sgd', lr: 0.5, epochs: 3 });
    await expectFormula({ optimizer: 'sgd', momentum: 0.5, lr: 0.5, epochs: 3 });
  });

  it('Nesterov steps along g + mu v', async () => {
    await expectFormula({ optimizer: 'nesterov', momentum: 0.8, lr: 0.5, epochs: 3 });
  });

  it.each(['step', 'cosine', 'one-cycle'] as const)('the %s schedule sets every step’s learning rate', async (schedule) => {
    await expectFormula({ optimizer: 'sgd', momentum: 0, lr: 0.5, schedule, epochs: 6 });
  });

  it('linear warm-up scales the first warmupEpochs steps by (t + 1) / warmup', async () => {
    await expectFormula({ optimizer: 'sgd', momentum: 0, lr: 0.5, schedule: 'cosine', warmupEpochs: 3, epochs: 5 });
  });
});
