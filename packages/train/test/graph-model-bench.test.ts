import { plugin as classic } from '@convkit/arch-classic';
import { initBackend, Registry } from '@convkit/core';
import { graphTestBackends } from '@convkit/core/testing';
import { describe, expect, it } from 'vitest';
import { benchModel } from '../src/bench/graph-model-bench.js';
import { type ModelBenchOptions, benchModel as pageBenchModel } from '../src/bench/model-bench.js';
import { expectOneLineError } from './fixtures/one-line-error.js';

const registry = new Registry().use(classic);
const lenetStep: ModelBenchOptions = {
  registry,
  arch: 'lenet5',
  inputShape: [28, 28, 1],
  batchSize: 8,
  mode: 'train-step',
  budgetMs: 20,
  maxRepeats: 3,
};

const tensorflow = await graphTestBackends();

describe('benchModel and the graph engine', () => {
  it("the browser entry's benchModel refuses the graph engine in one line, saying it is Node's", async () => {
    await initBackend('cpu');
    const message = await expectOneLineError(pageBenchModel({ ...lenetStep, engine: 'graph' }), 'bad-option');
    expect(message).toMatch(/graph engine runs on the tensorflow backend in Node only; leave engine out/);
  });

  it.each(tensorflow)("the Node entry's benchModel times LeNet-5's step on the graph engine (%s)", async (backend) => {
    await initBackend(backend);
    const timing = await benchModel({ ...lenetStep, engine: 'graph' });
    expect(timing).toMatchObject({ arch: 'lenet5', mode: 'train-step', batchSize: 8, backend: 'tensorflow' });
    expect(timing.ms).toBeGreaterThan(0);
    expect(timing.imagesPerSecond).toBeCloseTo((1000 * 8) / timing.ms, 6);
    // The whole step is one libtensorflow session run: tfjs's profiler sees none of its kernels, where eager runs about 190.
    expect(timing.kernelCalls).toBe(0);
  });
});
