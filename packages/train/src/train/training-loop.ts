import type { OutputKind, SeededRng } from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainingCallback, TrainProgress } from '../api/train-options.js';
import type { Augmentation } from '../augment/augmentation.js';
import { normalizeBatch, streamBatches } from '../data/image-batch.js';
import type { LabeledImages } from '../data/labeled-images.js';
import type { RunLogEntry } from '../report/run-log.js';
import type { DropPathSchedule } from '../techniques/drop-path-schedule.js';
import type { DynamicLossScaler } from '../techniques/loss-scaler.js';
import type { ProgressiveResize } from '../techniques/progressive-resize.js';
import type { WeightEma } from '../techniques/weight-ema.js';
import type { TrainerState } from './checkpoint.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { evaluateModel } from './evaluate-model.js';
import { createSchedule } from './schedule.js';
import type { StepEngine } from './step-engine.js';
import type { StepMetrics } from './step-metrics.js';

/** What a finished epoch leaves to be kept: its log lines and whether it is the best so far. */
export interface FinishedEpoch {
  log: RunLogEntry[];
  isBest: boolean;
  stepsPerEpoch: number;
}

/** A prepared run: model, optimizer and data ready, and the state to continue from. */
export interface TrainingRun {
  model: LayersModel;
  /** What each output of `model` holds, as the registry's `outputKinds` gives it. */
  kinds: OutputKind[];
  /** What runs the optimizer steps: the eager or the graph engine. */
  engine: StepEngine;
  /** Moving average of the weights (`ema`), updated after every step. */
  ema?: WeightEma | undefined;
  /** The drop-path rates over epochs (`dropPath`). */
  dropPath?: DropPathSchedule | undefined;
  /** Progressive resizing (`progressiveResize`): the input size of each epoch. */
  resize?: ProgressiveResize | undefined;
  /** Dynamic loss scaling (`lossScale`), already at `state.lossScale` on a resume. */
  lossScaler?: DynamicLossScaler | undefined;
  train: LabeledImages;
  validation: LabeledImages | undefined;
  augmentation: Augmentation | undefined;
  /** The run's generator, already at `state.rng`. */
  rng: SeededRng;
  /** Fresh-run or checkpointed state; updated in place as epochs finish. */
  state: Omit<TrainerState, 'optimizer'>;
  /** Step entries already logged (a resumed run's), then this run's, for the training curve. */
  steps: StepMetrics[];
  /**
   * Keeps each finished epoch: a run in Node appends the log, redraws the curve and checkpoints; a
   * run in a page keeps nothing (or what its page does with it). Called after the callbacks.
   */
  persistEpoch?: (epoch: FinishedEpoch) => Promise<void>;
  onProgress?: (progress: TrainProgress) => void;
  /** Called with each step's metrics as it is logged (a page draws its live curve from them). */
  onStep?: (step: StepMetrics) => void;
  callbacks: TrainingCallback[];
}

/**
 * Runs the remaining epochs of `run`. Each epoch shuffles with the run's generator, streams augmented
 * and normalized batches through the run's step engine, brings the model's weights up to date, validates, applies early stopping and user
 * callbacks, then hands the epoch to `persistEpoch` (in Node: `metrics.jsonl`, the curve, and the
 * checkpoint last, so a resumed run cuts the log back to what it covers).
 */
export async function runTrainingLoop(run: TrainingRun): Promise<void> {
  const { model, kinds, engine, train, state } = run;
  const config = state.config;
  const stepsPerEpoch = Math.ceil(train.size / config.batchSize);
  const schedule = createSchedule(
    { name: config.schedule, learningRate: config.lr, warmupEpochs: config.warmupEpochs },
    stepsPerEpoch,
    stepsPerEpoch * config.epochs,
  );
  while (state.epoch < config.epochs && !state.stopped) {
    const epoch = state.epoch + 1;
    const order = run.rng.shuffle(Array.from({ length: train.size }, (_, i) => i));
    const started = performance.now();
    let seen = 0;
    let lossSum = 0;
    let correct = 0;
    let batchIndex = 0;
    let skippedSteps = 0;
    let learningRate = schedule(state.step);
    const log: RunLogEntry[] = [];
    run.dropPath?.setEpoch(epoch, config.epochs);
    for (const raw of streamBatches(train, order, config.batchSize)) {
      const augmented = run.augmentation ? run.augmentation.apply(raw, run.rng) : raw;
      const sized = run.resize ? run.resize.resize(augmented, epoch) : augmented;
      learningRate = schedule(state.step);
      const result = await engine.step(normalizeBatch(sized, state.normalization), learningRate, run.rng);
      if (!result.applied) skippedSteps += 1;
      run.ema?.update();
      state.step += 1;
      batchIndex += 1;
      const step: StepMetrics = { epoch, step: state.step, loss: result.loss, accuracy: result.correct / raw.count, learningRate };
      run.steps.push(step);
      run.onStep?.(step);
      log.push({ type: 'step', ...step, time: new Date().toISOString() });
      seen += raw.count;
      lossSum += result.loss * raw.count;
      correct += result.correct;
      const elapsed = (performance.now() - started) / 1000;
      const imagesPerSecond = seen / Math.max(elapsed, 1e-9);
      const remaining = train.size - seen + (config.epochs - epoch) * train.size;
      const progress: TrainProgress = {
        epoch,
        epochs: config.epochs,
        batch: batchIndex,
        batches: stepsPerEpoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        imagesPerSecond,
        epochEtaSeconds: (train.size - seen) / imagesPerSecond,
        etaSeconds: remaining / imagesPerSecond,
      };
      run.onProgress?.(progress);
      for (const callback of run.callbacks) callback.onBatchEnd?.(progress);
    }
    const seconds = (performance.now() - started) / 1000;
    await engine.sync();
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / seen,
      trainAccuracy: correct / seen,
      learningRate,
      seconds,
      imagesPerSecond: seen / seconds,
    };
    if (run.resize) metrics.inputSize = run.resize.sizeAt(epoch);
    if (run.lossScaler) {
      Object.assign(metrics, { lossScale: run.lossScaler.scale, skippedSteps });
      state.lossScale = run.lossScaler.getState();
    }
    if (run.validation) {
      const validation = await evaluateModel(model, kinds[0] as OutputKind, run.validation, state.normalization, config.batchSize);
      Object.assign(metrics, { valLoss: validation.loss, valAccuracy: validation.top1, valTop5: validation.top5 });
      const { ema, validation: held } = run;
      if (ema) {
        const averaged = await ema.withAveraged(() =>
          evaluateModel(model, kinds[0] as OutputKind, held, state.normalization, config.batchSize),
        );
        Object.assign(metrics, { emaValLoss: averaged.loss, emaValAccuracy: averaged.top1 });
      }
    }
    state.epoch = epoch;
    state.history.push(metrics);
    const isBest = updateBest(state, metrics);
    for (const callback of run.callbacks) {
      if ((await callback.onEpochEnd?.(metrics)) === true) state.stopped = true;
    }
    state.rng = run.rng.getState();
    log.push({ type: 'epoch', ...metrics, time: new Date().toISOString() });
    await run.persistEpoch?.({ log, isBest, stepsPerEpoch });
  }
}

/**
 * Tracks the best epoch by validation loss (training loss without a validation set) and stops the
 * run after `patience` epochs without an improvement of at least `minDelta`. Returns whether this
 * epoch is the new best.
 */
function updateBest(state: TrainingRun['state'], metrics: EpochMetrics): boolean {
  const monitored = metrics.valLoss ?? metrics.trainLoss;
  if (state.best === null || monitored < state.best - state.config.minDelta) {
    state.best = monitored;
    state.bestEpoch = metrics.epoch;
    state.badEpochs = 0;
    return true;
  }
  state.badEpochs += 1;
  if (state.config.patience !== null && state.badEpochs >= state.config.patience) state.stopped = true;
  return false;
}
