import { join } from 'node:path';
import { createRng, initBackend, loadModel } from '@convkit/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import type { ImageBatch } from '../src/data/image-batch.js';
import { crossEntropyObjective } from '../src/objectives/cross-entropy-objective.js';
import { DynamicLossScaler } from '../src/techniques/loss-scaler.js';
import { Optimizer } from '../src/train/optimizer.js';
import { trainStep } from '../src/train/train-step.js';
import { base, freshOut } from './fixtures/train-options.js';

/** A one-layer softmax regression on 4 inputs with fixed weights, and one batch for it. */
function tinyModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [2, 2, 1] });
  const flat = tfl.layers.flatten().apply(input) as tfl.SymbolicTensor;
  const logits = tfl.layers
    .dense({ units: 3, kernelInitializer: tfl.initializers.constant({ value: 0.1 }), biasInitializer: 'zeros' })
    .apply(flat) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits });
}

const batch: ImageBatch = {
  images: Float32Array.from([1, -1, 0.5, 0.25, -0.5, 1, 1, -1]),
  labels: Float32Array.from([1, 0, 0, 0, 0, 1]),
  count: 2,
  shape: [2, 2, 1],
  numClasses: 3,
};

/** One SGD step (lr 1) with the loss weighted by `lossWeight`; returns the weights' change and the step's outcome. */
async function step(lossWeight: number, options: { float16?: boolean; scaler?: DynamicLossScaler }) {
  const model = tinyModel();
  const before = model.getWeights().map((w) => Array.from(w.dataSync()));
  const optimizer = new Optimizer({ name: 'sgd', momentum: 0, weightDecay: 0 });
  const context = {
    model,
    optimizer,
    objective: crossEntropyObjective({ kinds: ['logits'], lossWeights: [lossWeight], labelSmoothing: 0 }),
    clipNorm: undefined,
    float16Gradients: options.float16 ?? false,
    lossScaler: options.scaler,
  };
  const result = await trainStep(context, batch, 1, createRng(0));
  const change = model.getWeights().flatMap((w, i) => Array.from(w.dataSync(), (v, j) => v - (before[i] as number[])[j]!));
  optimizer.dispose();
  model.dispose();
  return { change, result };
}

describe('loss scaling', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('float16 gradients of a loss weighted 1e-8 underflow to zero without scaling, and survive with it', async () => {
    const reference = await step(1e-8, {});
    expect(Math.max(...reference.change.map(Math.abs))).toBeGreaterThan(1e-10);
    const unscaled = await step(1e-8, { float16: true });
    expect(unscaled.change.every((d) => d === 0)).toBe(true);
    const scaled = await step(1e-8, { float16: true, scaler: new DynamicLossScaler() });
    expect(scaled.result.applied).toBe(true);
    scaled.change.forEach((d, i) => {
      expect(Math.abs(d - (reference.change[i] as number))).toBeLessThan(2e-3 * Math.abs(reference.change[i] as number) + 1e-12);
    });
  });

  it('an overflowing step is skipped and halves the scale; the next finite step applies', async () => {
    const scaler = new DynamicLossScaler({ initialScale: 2 ** 16 });
    // 1e3 * 2^16 times gradients near 0.3 exceed float16's 65,504.
    const overflow = await step(1e3, { float16: true, scaler });
    expect(overflow.result.applied).toBe(false);
    expect(overflow.change.every((d) => d === 0)).toBe(true);
    expect(scaler.getState()).toEqual({ scale: 2 ** 15, goodSteps: 0, skippedSteps: 1 });
    const small = await step(1, { float16: true, scaler });
    expect(small.result.applied).toBe(true);
    expect(small.change.some((d) => d !== 0)).toBe(true);
    expect(scaler.getState()).toEqual({ scale: 2 ** 15, goodSteps: 1, skippedSteps: 1 });
  });

  it('the reported loss is the unscaled loss', async () => {
    const plain = await step(1, {});
    const scaled = await step(1, { scaler: new DynamicLossScaler() });
    expect(scaled.result.loss).toBeCloseTo(plain.result.loss, 6);
  });
});

describe('DynamicLossScaler', () => {
  it('doubles the scale after growthInterval finite steps in a row, and an overflow restarts the count', () => {
    const scaler = new DynamicLossScaler({ initialScale: 8, growthInterval: 3 });
    expect([scaler.update(true), scaler.update(true)]).toEqual([true, true]);
    expect(scaler.scale).toBe(8);
    scaler.update(true);
    expect(scaler.scale).toBe(16);
    scaler.update(true);
    scaler.update(true);
    expect(scaler.update(false)).toBe(false);
    expect(scaler.getState()).toEqual({ scale: 8, goodSteps: 0, skippedSteps: 1 });
    scaler.update(true);
    scaler.update(true);
    expect(scaler.scale).toBe(8);
  });

  it('starts at 2^16 and grows after 2,000 steps by default, as PyTorch GradScaler', () => {
    const scaler = new DynamicLossScaler();
    expect(scaler.scale).toBe(65536);
    for (let i = 0; i < 1999; i++) scaler.update(true);
    expect(scaler.scale).toBe(65536);
    scaler.update(true);
    expect(scaler.scale).toBe(131072);
  });

  it('continues from a checkpointed state, and refuses a corrupted one in one line', () => {
    const resumed = new DynamicLossScaler({ growthInterval: 2 }, { scale: 4, goodSteps: 1, skippedSteps: 3 });
    resumed.update(true);
    expect(resumed.getState()).toEqual({ scale: 8, goodSteps: 0, skippedSteps: 3 });
    expect(() => new DynamicLossScaler({}, { scale: -1, goodSteps: 0, skippedSteps: 0 })).toThrow(
      /loss-scale state .* resume from an intact checkpoint/,
    );
  });
});

describe('--precision fp16 in a run', () => {
  it('reports the loss scale per epoch and resumes to the same weights and scale as an uninterrupted run', async () => {
    const whole = await freshOut();
    const full = await train(base(whole, { epochs: 3, precision: 'fp16' }));
    const split = await freshOut();
    await train(base(split, { epochs: 1, precision: 'fp16' }));
    const resumed = await train({ ...base(split, { epochs: 3 }), resume: true });
    expect(full.history.map((m) => m.lossScale)).toEqual([65536, 65536, 65536]);
    expect(resumed.history.map((m) => m.lossScale)).toEqual(full.history.map((m) => m.lossScale));
    expect(resumed.history.map((m) => m.trainLoss)).toEqual(full.history.map((m) => m.trainLoss));
    const [a, b] = await Promise.all([loadModel(join(whole, 'model')), loadModel(join(split, 'model'))]);
    const values = (m: typeof a) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(values(b)).toEqual(values(a));
  });

  it('turns loss scaling on by default, and --loss-scale off turns it off', async () => {
    const off = await train(base(await freshOut(), { epochs: 1, precision: 'fp16', lossScale: 'off' }));
    expect(off.history[0]?.lossScale).toBeUndefined();
  });
});
