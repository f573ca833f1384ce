import { describe, expect, it } from 'vitest';
import { createSchedule } from '../src/train/schedule.js';
import { expectOneLineError } from './fixtures/one-line-error.js';

describe('learning-rate schedules', () => {
  it('cosine starts at the base rate and reaches half of it midway', () => {
    const s = createSchedule({ name: 'cosine', learningRate: 0.1 }, 10, 100);
    expect(s(0)).toBeCloseTo(0.1, 12);
    expect(s(50)).toBeCloseTo(0.05, 12);
    expect(s(99)).toBeLessThan(0.001);
  });

  it('step multiplies by gamma every stepEpochs epochs', () => {
    const s = createSchedule({ name: 'step', learningRate: 1, stepEpochs: 2, gamma: 0.5 }, 10, 60);
    expect([s(0), s(19), s(20), s(40)]).toEqual([1, 1, 0.5, 0.25]);
  });

  it('step decays by 0.1 every third of the run by default, counted in epochs of stepsPerEpoch steps', () => {
    const s = createSchedule({ name: 'step', learningRate: 1 }, 10, 60); // 6 epochs: decay every 2
    expect([s(0), s(19), s(20), s(39), s(40), s(59)].map((v) => Number(v.toPrecision(6)))).toEqual([1, 1, 0.1, 0.1, 0.01, 0.01]);
  });

  it('linear warm-up ramps up to the schedule over the warm-up epochs', () => {
    const s = createSchedule({ name: 'constant', learningRate: 0.2, warmupEpochs: 1 }, 4, 40);
    expect([s(0), s(1), s(3), s(4)].map((v) => Number(v.toFixed(6)))).toEqual([0.05, 0.1, 0.2, 0.2]);
  });

  it('one-cycle rises from lr/25 to lr at 30% of the steps, then anneals far below the start', () => {
    const s = createSchedule({ name: 'one-cycle', learningRate: 1 }, 10, 100);
    expect(s(0)).toBeCloseTo(0.04, 12);
    expect(s(30)).toBeCloseTo(1, 12);
    expect(s(99)).toBeLessThan(0.001);
    expect(s(15)).toBeGreaterThan(s(5));
  });

  it.each([-1, 0, Number.NaN])('a learning rate of %s is a one-line error that names it', async (learningRate) => {
    const message = await expectOneLineError(
      Promise.resolve().then(() => createSchedule({ name: 'constant', learningRate }, 1, 1)),
      'bad-option',
    );
    expect(message).toBe(`learning rate must be a positive number, got ${learningRate}; try --lr 0.01`);
  });
});
