import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect } from 'vitest';
import type { BackendName } from '../backend/backend-name.js';
import { initBackend } from '../backend/init-backend.js';
import { ConvkitError } from '../errors.js';
import { GraphEngine } from '../graph/graph-engine.js';
import { createRng } from '../rng.js';
import { withSeededMathRandom } from '../seeded-math-random.js';
import { testBackends } from './backends.js';
import { graphAndEagerOutputs } from './graph-forward.js';
import { type EngineGradients, float32AndBfloat16Losses, type GradientBatch, graphAndEagerGradients } from './graph-gradients.js';

/** The backends of the test matrix that run the graph engine: tensorflow, and tensorflow-gpu where it loads. */
export async function graphTestBackends(): Promise<BackendName[]> {
  return (await testBackends()).filter((backend) => backend === 'tensorflow' || backend === 'tensorflow-gpu');
}

/**
 * One `describe` block per graph backend of the test matrix ({@link graphTestBackends}), that backend
 * initialised before its cases run; `title` may hold `%s` for the backend's name. Use it at a test
 * file's top level: `await describeGraphEngine('Multiply lowering on %s', () => { it(...) })`.
 */
export async function describeGraphEngine(title: string, cases: () => void): Promise<void> {
  describe.each(await graphTestBackends())(title, (backend) => {
    beforeAll(async () => {
      await initBackend(backend);
    });
    cases();
  });
}

/**
 * Builds a model with `Math.random` seeded from `seed` (so tfjs's initializers give the same weights
 * every run), hands it to `check`, and disposes it afterwards whether the check passed or threw.
 */
export async function withSeededModel<T>(
  seed: number,
  build: () => tfl.LayersModel,
  check: (model: tfl.LayersModel) => T | Promise<T>,
): Promise<T> {
  const model = withSeededMathRandom(createRng(seed), build);
  try {
    return await check(model);
  } finally {
    model.dispose();
  }
}

/**
 * Expects one graph step's gradient of every trainable weight to match tfjs's eager autodiff on
 * `batch` within `bound` (relative to the eager gradient's largest entry), naming the first weight
 * that does not; returns the gradients for further checks.
 */
export async function expectGraphGradients(model: tfl.LayersModel, batch: GradientBatch, bound: number): Promise<EngineGradients[]> {
  const gradients = await graphAndEagerGradients(model, batch);
  expect(gradients).toHaveLength(model.trainableWeights.length);
  for (const { weight, error } of gradients) expect(error, `gradient of ${weight}`).toBeLessThan(bound);
  return gradients;
}

/**
 * Expects the graph's inference outputs of the model on `batch`'s images ({@link graphAndEagerOutputs})
 * to match tfjs's `predict` within `bound`, relative to tfjs's largest output.
 */
export async function expectGraphOutputs(model: tfl.LayersModel, batch: GradientBatch, bound: number): Promise<void> {
  expect((await graphAndEagerOutputs(model, batch)).error, 'outputs').toBeLessThan(bound);
}

/**
 * Expects the model to train in bfloat16 on the graph engine: two steps' losses on `batch` track
 * float32's within `bound` (relative) and yet differ from them, so bfloat16 really computed them.
 */
export async function expectBfloat16Training(model: tfl.LayersModel, batch: GradientBatch, bound = 1e-2): Promise<void> {
  const { float32, bfloat16, error } = await float32AndBfloat16Losses(model, batch);
  expect(error).toBeLessThan(bound);
  expect(bfloat16).not.toEqual(float32);
}

/**
 * `input -> layer -> flatten -> dense(2)`: the smallest model that puts one layer in front of the
 * graph engine, for a case about how that layer is lowered or refused.
 */
export function oneLayerModel(inputShape: readonly number[], layer: tfl.layers.Layer): tfl.LayersModel {
  const input = tfl.input({ shape: [...inputShape] });
  const flat = tfl.layers.flatten().apply(layer.apply(input)) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(flat) as tfl.SymbolicTensor });
}

/**
 * Expects the graph engine to refuse the model with a {@link ConvkitError} whose message is exactly
 * `message` (or matches it, for a pattern), then disposes the model.
 */
export async function expectGraphRefusal(model: tfl.LayersModel, message: string | RegExp): Promise<void> {
  try {
    const refusal = await GraphEngine.create(model, { optimizer: { name: 'sgd' } }).catch((error: unknown) => error);
    if (refusal instanceof GraphEngine) refusal.dispose();
    expect(refusal).toBeInstanceOf(ConvkitError);
    if (typeof message === 'string') expect((refusal as Error).message).toBe(message);
    else expect((refusal as Error).message).toMatch(message);
  } finally {
    model.dispose();
  }
}
