import { ConvkitError } from '@convkit/core';

/** The learning-rate schedules the trainer offers. */
export const SCHEDULE_NAMES = ['constant', 'step', 'cosine', 'one-cycle'] as const;
/** One of {@link SCHEDULE_NAMES}. */
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** A schedule's configuration. */
export interface ScheduleConfig {
  name: ScheduleName;
  /** Peak (base) learning rate. */
  learningRate: number;
  /** Epochs of linear warm-up from 0 before the schedule (default 0; one-cycle has its own). */
  warmupEpochs?: number;
  /** `step`: epochs between decays (default a third of the run) and the decay factor (default 0.1). */
  stepEpochs?: number;
  gamma?: number;
}

/** Learning rate at optimizer step `step` (0-based) of `totalSteps`, `stepsPerEpoch` per epoch. */
export type LearningRateSchedule = (step: number) => number;

/**
 * Builds a per-step schedule: `constant`; `step` (multiply by gamma every `stepEpochs`); `cosine`
 * (Loshchilov & Hutter 2017, to 0 without restarts); `one-cycle` (Smith & Topin 2019: from lr/25 up
 * to lr over 30% of the steps, then cosine down to lr/25e4, as PyTorch's OneCycleLR defaults). An
 * optional linear warm-up multiplies the first `warmupEpochs`.
 */
export function createSchedule(config: ScheduleConfig, stepsPerEpoch: number, totalSteps: number): LearningRateSchedule {
  const lr = config.learningRate;
  if (!(Number.isFinite(lr) && lr > 0)) {
    throw new ConvkitError('bad-option', `learning rate must be a positive number, got ${lr}; try --lr 0.01`);
  }
  const warmupSteps = Math.round((config.warmupEpochs ?? 0) * stepsPerEpoch);
  const epochs = totalSteps / stepsPerEpoch;
  const base = ((): LearningRateSchedule => {
    switch (config.name) {
      case 'constant':
        return () => lr;
      case 'step': {
        const every = Math.max(1, config.stepEpochs ?? Math.floor(epochs / 3)) * stepsPerEpoch;
        return (step) => lr * (config.gamma ?? 0.1) ** Math.floor(step / every);
      }
      case 'cosine':
        return (step) => 0.5 * lr * (1 + Math.cos((Math.PI * step) / totalSteps));
      case 'one-cycle': {
        const peakAt = Math.max(1, Math.round(0.3 * totalSteps));
        const start = lr / 25;
        const end = start / 1e4;
        const anneal = (from: number, to: number, t: number) => to + 0.5 * (from - to) * (1 + Math.cos(Math.PI * t));
        return (step) =>
          step < peakAt ? anneal(start, lr, step / peakAt) : anneal(lr, end, (step - peakAt) / Math.max(1, totalSteps - peakAt));
      }
    }
  })();
  return (step) => (step < warmupSteps ? base(step) * ((step + 1) / warmupSteps) : base(step));
}
