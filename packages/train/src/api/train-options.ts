import type { BackendPreference, BackendReport, Registry } from '@convkit/core';
import type { TrainOptionValues } from '../options/training-options.js';
import type { EpochMetrics } from '../train/epoch-metrics.js';
import type { InitialWeightsReport } from '../train/initial-weights.js';
import type { EngineName } from '../train/step-engine.js';

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
  /** Estimated seconds until this epoch's training steps end. */
  epochEtaSeconds: number;
  /** Estimated seconds until the last epoch's training steps end. */
  etaSeconds: number;
}

/** Hooks a user can attach to a run. Returning `true` from `onEpochEnd` stops training after that epoch. */
export interface TrainingCallback {
  onBatchEnd?(progress: TrainProgress): void;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing must type-check.
  onEpochEnd?(metrics: EpochMetrics): void | boolean | Promise<void | boolean>;
}

/** How a run starts, as `onStart` reports it once every input has been checked. */
export interface RunStart {
  arch: string;
  out: string;
  /** Epochs already completed (0 for a fresh run) and the run's total. */
  epoch: number;
  epochs: number;
  resumed: boolean;
  /** The engine the steps run on (a fallback from graph to eager is said through `onWarning`). */
  engine: EngineName;
  /** What `init` loaded into the fresh model, when the run starts from a model folder. */
  init?: InitialWeightsReport;
}

/**
 * Everything `train` accepts. The training options (epochs, lr, ...) are those of
 * {@link TRAIN_OPTIONS}, where each one's default, range and meaning are declared.
 */
export interface TrainOptions extends Partial<TrainOptionValues> {
  /** Registered architecture name, e.g. `lenet5`; a resume takes the checkpoint's when omitted. */
  arch?: string;
  /**
   * Architecture options. `numClasses` and `inputShape` come from the data: giving ones that
   * disagree with it is an error.
   */
  archOptions?: Record<string, unknown>;
  /** A registered dataset name (`shapes`, `fashion-mnist`, ...) or a dataset folder. Default `shapes`; a resume takes the checkpoint's. */
  data?: string;
  /** Compute backend preference, as `initBackend` takes it; default `CONVKIT_BACKEND`, else the automatic order. */
  backend?: BackendPreference;
  /** Output folder. Default `runs/<arch>-<dataset>`. */
  out?: string;
  /** Continue the run checkpointed in `out`. */
  resume?: boolean;
  /** Replace a run already in `out` (its checkpoints, model and reports) instead of refusing to. */
  overwrite?: boolean;
  onProgress?: (progress: TrainProgress) => void;
  /** Called with the active backend (which one runs, why others were skipped) once the inputs are checked and work starts. */
  onBackend?: (report: BackendReport) => void;
  /** Called once, after `onBackend`, with where the run starts (a resume says at which epoch). */
  onStart?: (start: RunStart) => void;
  /** Called with each thing the user should know but that is not an error (images resized, turned grey). */
  onWarning?: (message: string) => void;
  callbacks?: TrainingCallback[];
  /** Registry to build models and find datasets in; default convkit's process-wide one. */
  registry?: Registry;
}

/** What a finished run reports; the CLI prints the first nine keys as its `--json` line. */
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
  /** The engine the steps ran on: `graph` or `eager`. */
  engine: EngineName;
  /** The run's `--precision` (`bf16`: the graph engine computed in bfloat16). */
  precision: TrainOptionValues['precision'];
  testTop5: number;
  confusion: number[][];
  classNames: string[];
  history: EpochMetrics[];
  stoppedEarly: boolean;
  /** The epoch whose weights `model/` holds and the test set scored (`finalModel`: last or best). */
  modelEpoch: number;
  /** With `ema`: the test figures of the averaged weights of the last epoch, and the folder they are saved in (`model-ema/`). */
  /** What `init` loaded, when the run started from a model folder. */
  init?: InitialWeightsReport;
  ema?: { testAccuracy: number; testLoss: number; testTop5: number; out: string };
}
