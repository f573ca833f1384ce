import type { BackendPreference, BackendReport, Registry } from '@convkit/core';
import type { EpochMetrics } from '../train/epoch-metrics.js';
import type { OptimizerName } from '../train/optimizer.js';
import type { ScheduleName } from '../train/schedule.js';
import type { EarlyStoppingConfig } from '../train/train-config.js';

/** Progress of the running epoch, reported after every step (the CLI draws its progress bar from it). */
export interface TrainProgress {
  /** 1-based epoch and step within it. */
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Running mean loss and top-1 accuracy of the epoch so far. */
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  /** Estimated seconds until the last epoch ends. */
  etaSeconds: number;
}

/** Hooks a user can attach to a run. Returning `true` from `onEpochEnd` stops training after that epoch. */
export interface TrainingCallback {
  onBatchEnd?(progress: TrainProgress): void;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing must type-check.
  onEpochEnd?(metrics: EpochMetrics): void | boolean | Promise<void | boolean>;
}

/** Everything `train` accepts; only `arch` and `data` are required. */
export interface TrainOptions {
  /** Registered architecture name, e.g. `lenet5`. */
  arch: string;
  /** Architecture options beyond `numClasses` and `inputShape`, which come from the data. */
  archOptions?: Record<string, unknown>;
  /** A registered dataset name (`shapes`, `fashion-mnist`, ...) or a dataset folder. */
  data: string;
  /** Default 10. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Peak learning rate. Default 0.001 for adam/adamw, 0.01 for sgd/nesterov. */
  lr?: number;
  /** Default `adam`. */
  optimizer?: OptimizerName;
  /** SGD momentum, default 0.9. */
  momentum?: number;
  /** Default 0. */
  weightDecay?: number;
  /** Default `constant`. */
  schedule?: ScheduleName;
  /** Epochs of linear warm-up, default 0. */
  warmupEpochs?: number;
  /** Default 0. */
  labelSmoothing?: number;
  /** Per-output loss weights; default 1 for the main output, 0.3 for auxiliary heads. */
  lossWeights?: number[];
  /** Clip gradients to this global norm. */
  clipNorm?: number;
  /** Augmentation pipeline, e.g. `crop:4,flip`. Default none. */
  augment?: string;
  /** Fraction of the training set held out for validation. Default 0.1. */
  validationSplit?: number;
  earlyStopping?: EarlyStoppingConfig;
  /** Seed of everything random in the run. Default 0. */
  seed?: number;
  /** Compute backend preference, as `initBackend` takes it; default `CONVKIT_BACKEND`, else the automatic order. */
  backend?: BackendPreference;
  /** Output folder. Default `runs/<arch>-<dataset>`. */
  out?: string;
  /** Continue the run checkpointed in `out`. */
  resume?: boolean;
  onProgress?: (progress: TrainProgress) => void;
  /** Called with the active backend (which one runs, why others were skipped) once the inputs are checked and work starts. */
  onBackend?: (report: BackendReport) => void;
  callbacks?: TrainingCallback[];
  /** Registry to build models and find datasets in; default convkit's process-wide one. */
  registry?: Registry;
}

/** What a finished run reports; the CLI prints the first eight keys as its `--json` line. */
export interface TrainResult {
  arch: string;
  dataset: string;
  /** Epochs completed. */
  epochs: number;
  testAccuracy: number;
  testLoss: number;
  /** Mean training throughput over all epochs. */
  imagesPerSecond: number;
  backend: string;
  out: string;
  testTop5: number;
  confusion: number[][];
  classNames: string[];
  history: EpochMetrics[];
  stoppedEarly: boolean;
}
