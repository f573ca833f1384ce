import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testBackends } from '@convkit/core/testing';
import { describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { base, freshOut } from './fixtures/train-options.js';

const weightsOf = async (out: string) =>
  JSON.parse(await readFile(join(out, 'model', 'model.json'), 'utf8')).convkit.weightsSha256 as string;

const tensorflow = (await testBackends()).filter((b) => b === 'tensorflow');

describe('--engine', () => {
  it('--engine graph on the cpu backend is a one-line error naming the fix', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { engine: 'graph' })), 'bad-option');
    expect(message).toContain('--engine "graph" is invalid');
    expect(message).toContain('--backend tensorflow');
  });

  it.each([
    [{}, 'training on the cpu backend, not tensorflow'],
    [{ engine: 'eager' as const }, 'training with --engine eager'],
  ])('--precision bf16 without the graph engine (%o) is a one-line error naming why', async (extra, why) => {
    const message = await expectOneLineError(train(base(await freshOut(), { precision: 'bf16', ...extra })), 'bad-option');
    expect(message).toContain('--precision "bf16" is invalid');
    expect(message).toContain(why);
  });

  it('the cpu backend trains on the eager engine by default and says so', async () => {
    const result = await train(base(await freshOut(), { epochs: 1 }));
    expect(result.engine).toBe('eager');
  });
});

describe.each(tensorflow)('engines on %s', (backend) => {
  const run = async (extra: Parameters<typeof base>[1] = {}) => {
    const warnings: string[] = [];
    const out = await freshOut();
    const result = await train(
      base(out, { arch: 'tiny-logits', backend, optimizer: 'sgd', lr: 0.05, onWarning: (w) => warnings.push(w), ...extra }),
    );
    return { result, warnings, out };
  };

  it('a run that lowers trains on the graph engine by default and tracks the eager engine', async () => {
    const graph = await run();
    const eager = await run({ engine: 'eager' });
    expect(graph.result.engine).toBe('graph');
    expect(eager.result.engine).toBe('eager');
    expect(graph.warnings).toEqual([]);
    // Validation, the test set and the saved model all see the session's weights.
    expect(graph.result.history.map((m) => m.trainLoss)).toEqual(eager.result.history.map((m) => expect.closeTo(m.trainLoss, 4)));
    expect(graph.result.history[1]?.valLoss).toBeCloseTo(eager.result.history[1]?.valLoss as number, 4);
    expect(graph.result.testLoss).toBeCloseTo(eager.result.testLoss, 4);
  });

  it('a layer the graph engine does not lower falls back to eager, naming the layer', async () => {
    const { result, warnings } = await run({ arch: 'tiny-unlowered' });
    expect(result.engine).toBe('eager');
    expect(warnings).toEqual(['graph engine refused: layer norm is a LayerNormalization; training on the eager engine']);
  });

  it('a run the graph engine refuses stops under --precision bf16 instead of falling back to float32', async () => {
    const message = await expectOneLineError(run({ arch: 'tiny-unlowered', precision: 'bf16' }), 'bad-option');
    expect(message).toContain('the graph engine refuses the run (layer norm is a LayerNormalization)');
  });

  it('--precision bf16 trains on the graph engine near float32 and resumes exactly', async () => {
    const float32 = await run({ epochs: 2 });
    const bfloat16 = await run({ epochs: 2, precision: 'bf16' });
    expect(bfloat16.result.engine).toBe('graph');
    expect(bfloat16.result.precision).toBe('bf16');
    const losses = (r: typeof float32) => r.result.history.map((m) => m.trainLoss);
    expect(losses(bfloat16)).toEqual(losses(float32).map((loss) => expect.closeTo(loss, 1)));
    expect(losses(bfloat16)).not.toEqual(losses(float32).map((loss) => expect.closeTo(loss, 5)));
    const first = await run({ epochs: 1, precision: 'bf16' });
    const resumed = await train({ out: first.out, backend, epochs: 2, resume: true, registry: testRegistry() });
    expect(resumed.engine).toBe('graph');
    expect(await weightsOf(first.out)).toBe(await weightsOf(bfloat16.out));
  });

  it('a default run (Adam) trains on the graph engine and tracks the eager engine', async () => {
    const defaultOptimizer = async (engine: 'graph' | 'eager') => {
      const result = await train(base(await freshOut(), { arch: 'tiny-logits', backend, lr: 0.001, engine }));
      return result;
    };
    const graph = await defaultOptimizer('graph');
    const eager = await defaultOptimizer('eager');
    expect(graph.engine).toBe('graph');
    expect(graph.history.map((m) => m.trainLoss)).toEqual(eager.history.map((m) => expect.closeTo(m.trainLoss, 4)));
  });

  it.each(['sgd', 'adam', 'adamw'] as const)(
    'a graph run (%s) resumed from its checkpoint ends with the same weights as an uninterrupted one',
    async (optimizer) => {
      const straight = await run({ epochs: 2, optimizer, weightDecay: 0.01 });
      const first = await run({ epochs: 1, optimizer, weightDecay: 0.01 });
      const resumed = await train({ out: first.out, backend, epochs: 2, resume: true, registry: testRegistry() });
      expect(resumed.engine).toBe('graph');
      expect(straight.result.engine).toBe('graph');
      expect(await weightsOf(first.out)).toBe(await weightsOf(straight.out));
    },
  );
});
