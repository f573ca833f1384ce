import { describe, expect, it } from 'vitest';
import { expandTrials } from '../src/expand-trials.js';
import { checkSweepConfig } from '../src/sweep-config.js';
import { planSweep } from '../src/sweep-plan.js';
import { trainArgs } from '../src/train-args.js';
import { trialId } from '../src/trial-id.js';
import { rankTrials, sweptKeys, type TrialState } from '../src/trial-states.js';

describe('trials of a sweep', () => {
  it('a grid is the cartesian product, each variant crossed with it, a variant winning on its own keys', () => {
    const trials = expandTrials(
      checkSweepConfig({ base: { arch: 'lenet5', epochs: 1 }, grid: { lr: [0.1, 0.01], seed: [0, 1, 2] }, variants: [{}, { lr: 0.5 }] }),
    );
    expect(trials).toHaveLength(12);
    expect(trials[0]).toEqual({ arch: 'lenet5', epochs: 1, lr: 0.1, seed: 0 });
    expect(trials[6]).toEqual({ arch: 'lenet5', epochs: 1, lr: 0.5, seed: 0 });
    // The variant's lr makes two grid rows one trial.
    expect(
      planSweep(checkSweepConfig({ base: { arch: 'lenet5' }, grid: { lr: [0.1, 0.01] }, variants: [{ lr: 0.5 }] })).trials,
    ).toHaveLength(1);
  });

  it('a random search draws the same samples from the same seed, inside its ranges', () => {
    const config = checkSweepConfig({
      base: { arch: 'lenet5' },
      random: { trials: 20, seed: 7, space: { lr: { logUniform: [1e-4, 1e-1] }, batchSize: [16, 32], epochs: { int: [1, 3] } } },
    });
    const a = expandTrials(config);
    expect(expandTrials(config)).toEqual(a);
    for (const t of a) {
      expect(t.lr as number).toBeGreaterThanOrEqual(1e-4);
      expect(t.lr as number).toBeLessThanOrEqual(1e-1);
      expect([16, 32]).toContain(t.batchSize);
      expect([1, 2, 3]).toContain(t.epochs);
    }
    expect(new Set(a.map((t) => t.epochs)).size).toBe(3);
    expect(expandTrials({ ...config, random: { ...config.random!, seed: 8 } })).not.toEqual(a);
  });

  it("a trial's identity is its resolved options: defaults given or not, key order, are one trial", () => {
    const id = trialId({ arch: 'lenet5', lr: 0.01, seed: 1 }, 'cpu');
    expect(trialId({ seed: 1, lr: 0.01, arch: 'lenet5', epochs: 10, optimizer: 'adam' }, 'cpu')).toBe(id);
    expect(trialId({ arch: 'lenet5', lr: 0.01, seed: 2 }, 'cpu')).not.toBe(id);
    expect(trialId({ arch: 'lenet5', lr: 0.01, seed: 1 }, 'wasm')).not.toBe(id);
    expect(trialId({ arch: 'lenet5', lr: 0.01, seed: 1, archOptions: { activation: 'relu' } }, 'cpu')).not.toBe(id);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('becomes the flags of convkit train, values as separate arguments', () => {
    expect(trainArgs({ arch: 'lenet5', archOptions: { a: 1 }, lr: -1, lossWeights: [1, 0.3], warmupEpochs: 2 }, '/o', 'cpu', true)).toEqual(
      [
        '--arch',
        'lenet5',
        '--arch-options',
        '{"a":1}',
        '--lr=-1',
        '--warmup=2',
        '--loss-weights=1,0.3',
        '--backend',
        'cpu',
        '--out',
        '/o',
        '--resume',
        '--json',
      ],
    );
  });

  it('ranks done trials by the metric in its better direction, then failed, running, pending', () => {
    const t = (id: string, state: TrialState['state'], value?: number): TrialState => ({
      id,
      state,
      options: { lr: id.length },
      epoch: 0,
      attempts: 1,
      dir: id,
      ...(value === undefined ? {} : { value }),
    });
    const states = [t('p', 'pending'), t('a', 'done', 0.5), t('f', 'failed'), t('b', 'done', 0.9), t('r', 'running')];
    expect(rankTrials(states, 'testAccuracy').map((s) => s.id)).toEqual(['b', 'a', 'f', 'r', 'p']);
    expect(rankTrials(states, 'testLoss').map((s) => s.id)).toEqual(['a', 'b', 'f', 'r', 'p']);
    expect(sweptKeys([{ options: { lr: 1, seed: 0 } }, { options: { lr: 2, seed: 0 } }])).toEqual(['lr']);
  });
});
