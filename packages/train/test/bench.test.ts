import { initBackend } from '@convkit/core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { kernelShares } from '../src/bench/kernel-profile.js';
import { benchModel } from '../src/bench/model-bench.js';
import { BENCH_OPS, benchOp } from '../src/bench/op-bench.js';
import { timeStep } from '../src/bench/timing.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { testRegistry } from './fixtures/test-registry.js';

const quick = { budgetMs: 20, maxRepeats: 3 };

describe('the measuring library', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('timeStep reports the median of the repeats after one warm-up', async () => {
    // Clock readings: warm-up 0..20, then repeats of 1, 9 and 5 ms.
    const clock = [0, 20, 20, 20, 21, 21, 30, 30, 35];
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock.shift() ?? 35);
    let calls = 0;
    const timing = await timeStep(async () => void calls++, { budgetMs: 100, maxRepeats: 3 });
    now.mockRestore();
    expect(calls).toBe(4);
    expect(timing).toEqual({ ms: 5, samples: 3 });
  });

  it('measures every op at given shapes, forward and with gradients', async () => {
    for (const op of BENCH_OPS) {
      const input = op === 'dense' ? [4, 16] : [2, 8, 8, 4];
      for (const mode of ['forward', 'forward-backward'] as const) {
        const timing = await benchOp({ op, input, filters: 6, mode }, quick);
        expect(timing, `${op} ${mode}`).toMatchObject({ op, backend: 'cpu', shape: { mode } });
        expect(timing.ms).toBeGreaterThan(0);
      }
    }
  });

  it('refuses an input of the wrong rank in one line', async () => {
    const message = await expectOneLineError(benchOp({ op: 'conv2d', input: [8, 32, 32] }), 'bad-option');
    expect(message).toBe('conv2d input 8x32x32 is invalid; expected NxHxWxC positive integers, e.g. 8x32x32x64');
  });

  it("times inference and convkit's own train step of a registered model", async () => {
    const registry = testRegistry();
    const inference = await benchModel({ registry, arch: 'tiny-cnn', inputShape: [12, 12, 1], batchSize: 8, ...quick });
    expect(inference).toMatchObject({ arch: 'tiny-cnn', mode: 'inference', batchSize: 8, inputShape: [12, 12, 1], backend: 'cpu' });
    expect(inference.imagesPerSecond).toBeCloseTo((1000 * 8) / inference.ms, 6);
    const step = await benchModel({ registry, arch: 'tiny-cnn', inputShape: [12, 12, 1], batchSize: 8, mode: 'train-step', ...quick });
    expect(step.mode).toBe('train-step');
    expect(step.ms).toBeGreaterThan(0);
    // A train step runs the forward kernels and more (gradients, update); memory holds at least the batch.
    expect(step.kernelCalls).toBeGreaterThan(inference.kernelCalls);
    expect(step.peakBytes).toBeGreaterThan(8 * 12 * 12 * 4);
    // The grouped profile accounts for every call of the step, and a convolution is among them.
    expect(step.kernels.reduce((sum, k) => sum + k.calls, 0)).toBe(step.kernelCalls);
    expect(step.kernels.map((k) => k.name)).toContain('Conv2D');
  });

  it('groups profiled kernels by name, slowest total first, untimed kernels counted at 0 ms', () => {
    const shares = kernelShares([
      { name: 'Relu', kernelTimeMs: 1 },
      { name: 'Conv2D', kernelTimeMs: 4 },
      { name: 'Relu', kernelTimeMs: 2 },
      { name: 'Add', kernelTimeMs: { error: 'no timer' } },
      { name: 'Mul', kernelTimeMs: 0 },
      { name: 'Add', kernelTimeMs: 0 },
    ]);
    expect(shares).toEqual([
      { name: 'Conv2D', calls: 1, ms: 4 },
      { name: 'Relu', calls: 2, ms: 3 },
      { name: 'Add', calls: 2, ms: 0 },
      { name: 'Mul', calls: 1, ms: 0 },
    ]);
  });
});
