import { ConvkitError } from '@convkit/core';
import { OPTIMIZER_NAMES, type OptimizerName } from './optimizer.js';
import { SCHEDULE_NAMES, type ScheduleName } from './schedule.js';

/** Early stopping: stop when the monitored loss has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStoppingConfig {
  patience: number;
  minDelta?: number;
}

/**
 * The hyper-parameters of a run, as stored in its checkpoints (a resumed run uses these, not new
 * flags, so it continues the same run).
 */
export interface TrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  momentum: number;
  weightDecay: number;
  schedule: ScheduleName;
  warmupEpochs: number;
  labelSmoothing: number;
  /** Per-output loss weights; empty means 1 for the main output and 0.3 for auxiliary ones. */
  lossWeights: number[];
  clipNorm: number | null;
  augment: string;
  validationSplit: number;
  earlyStopping: EarlyStoppingConfig | null;
  seed: number;
  archOptions: Record<string, unknown>;
}

function bad(flag: string, value: unknown, expected: string): ConvkitError {
  return new ConvkitError('bad-option', `--${flag} ${String(value)} is invalid; expected ${expected}`);
}

function positiveInteger(flag: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw bad(flag, value, 'a positive integer');
  return value;
}

function inRange(flag: string, value: number, low: number, high: number, expected: string): number {
  if (!(Number.isFinite(value) && value >= low && value < high)) throw bad(flag, value, expected);
  return value;
}

/** Checks every hyper-parameter before anything is loaded or written; each problem is a one-line error. */
export function validateConfig(config: TrainConfig): TrainConfig {
  positiveInteger('epochs', config.epochs);
  positiveInteger('batch-size', config.batchSize);
  if (!(Number.isFinite(config.learningRate) && config.learningRate > 0))
    throw bad('lr', config.learningRate, 'a positive number such as 0.01');
  if (!OPTIMIZER_NAMES.includes(config.optimizer)) throw bad('optimizer', config.optimizer, `one of ${OPTIMIZER_NAMES.join(', ')}`);
  if (!SCHEDULE_NAMES.includes(config.schedule)) throw bad('schedule', config.schedule, `one of ${SCHEDULE_NAMES.join(', ')}`);
  inRange('momentum', config.momentum, 0, 1, 'a number in [0, 1)');
  inRange('weight-decay', config.weightDecay, 0, Number.POSITIVE_INFINITY, 'a non-negative number');
  // Closed at --epochs (a warm-up may span the whole run), which inRange's half-open [low, high) cannot say.
  if (!(Number.isFinite(config.warmupEpochs) && config.warmupEpochs >= 0 && config.warmupEpochs <= config.epochs)) {
    throw bad('warmup', config.warmupEpochs, `between 0 and --epochs (${config.epochs})`);
  }
  inRange('label-smoothing', config.labelSmoothing, 0, 1, 'a number in [0, 1)');
  inRange('validation-split', config.validationSplit, 0, 1, 'a fraction in [0, 1)');
  if (config.clipNorm !== null) inRange('clip-norm', config.clipNorm, Number.MIN_VALUE, Number.POSITIVE_INFINITY, 'a positive number');
  for (const weight of config.lossWeights) inRange('loss-weights', weight, 0, Number.POSITIVE_INFINITY, 'non-negative numbers');
  if (config.earlyStopping) positiveInteger('patience', config.earlyStopping.patience);
  if (!Number.isInteger(config.seed)) throw bad('seed', config.seed, 'an integer');
  return config;
}
