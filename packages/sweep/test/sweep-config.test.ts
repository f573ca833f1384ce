import { describe, expect, it } from 'vitest';
import { checkSweepConfig } from '../src/sweep-config.js';

const base = { arch: 'lenet5', epochs: 1 };

describe('sweep config keys are the training options of TRAIN_OPTIONS', () => {
  it('accepts every training option, arch, archOptions and data', () => {
    const config = checkSweepConfig({ base: { ...base, data: 'shapes', archOptions: {} }, grid: { lr: [0.1], weightDecay: [0, 1e-4] } });
    expect(config.grid.weightDecay).toEqual([0, 1e-4]);
    expect(config.metric).toBe('testAccuracy');
  });

  it('answers a misspelled option with the closest one', () => {
    expect(() => checkSweepConfig({ base, grid: { batchSzie: [16] } }, 's.yaml')).toThrow(
      's.yaml: unknown key "batchSzie" in grid; did you mean "batchSize"?',
    );
  });

  it("answers a CLI flag's spelling with the option it stands for", () => {
    expect(() => checkSweepConfig({ base: { warmup: 1 } })).toThrow('unknown key "warmup" in base; did you mean "warmupEpochs"?');
    expect(() => checkSweepConfig({ base: { 'batch-size': 1 } })).toThrow('did you mean "batchSize"?');
  });

  it('refuses unknown top-level keys, metrics, empty lists and bad ranges in one line', () => {
    expect(() => checkSweepConfig({ gird: {} })).toThrow('unknown key "gird" in the top level; did you mean "grid"?');
    expect(() => checkSweepConfig({ metric: 'testAcc' })).toThrow('unknown metric "testAcc"; did you mean "testAccuracy"?');
    expect(() => checkSweepConfig({ grid: { lr: [] } })).toThrow('grid.lr must be a non-empty list of values');
    expect(() => checkSweepConfig({ random: { trials: 2, space: { lr: { logUniform: [0, 1] } } } })).toThrow('needs low > 0');
    expect(() => checkSweepConfig({ random: { trials: 2, space: { lr: { normal: [0, 1] } } } })).toThrow('random.space.lr must be a list');
  });
});
