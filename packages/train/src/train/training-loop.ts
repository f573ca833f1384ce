import type { OutputKind, SeededRng } from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainingCallback, TrainProgress } from '../api/train-options.js';
import type { Augmentation } from '../augment/augmentation.js';
import { normalizeBatch, streamBatches } from '../data/image-batch.js';
import type { LabeledImages } from '../data/labeled-images.js';
import { writeRunReport } from '../report/run-files.js';
import { type TrainerState, writeCheckpoint } from './checkpoint.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { evaluateModel } from './evaluate-model.js';
import { defaultLossWeights } from './loss.js';
import type { Optimizer } from './optimizer.js';
import { createSchedule } from './schedule.js';
import { trainStep } from './train-step.js';

/** A prepared run: model, optimizer and data ready, and the state to continue from. */
export interface TrainingRun {
  model: LayersModel;
  /** What each output of `model` holds, as the registry's `outputKinds` gives it. */
  kinds: OutputKind[];
  optimizer: Optimizer;
  train: LabeledImages;
  validation: LabeledImages | undefined;
  augmentation: Augmentation | undefined;
  /** The run's generator, already at `state.rng`. */
  rng: SeededRng;
  /** Fresh-run or checkpointed state; updated in place as epochs finish. */
  state: Omit<TrainerState, 'optimizer'>;
  out: string;
  onProgress?: (progress: TrainProgress) => void;
  callbacks: TrainingCallback[];
}

/**
 * Runs the remaining epochs of `run`. Each epoch shuffles with the run's generator, streams augmented
 * and normalized batches through {@link trainStep}, validates, applies early stopping and user
 * callbacks, then rewrites the report files and writes a checkpoint — the checkpoint last, so the
 * files a resumed run starts from always describe a whole epoch.
 */
export async function runTrainingLoop(run: TrainingRun): Promise<void> {
  const { model, kinds, optimizer, train, state } = run;
  const config = state.config;
  const stepsPerEpoch = Math.ceil(train.size / config.batchSize);
  const schedule = createSchedule(
    { name: config.schedule, learningRate: config.learningRate, warmupEpochs: config.warmupEpochs },
    stepsPerEpoch,
    stepsPerEpoch * config.epochs,
  );
  const lossWeights = config.lossWeights.length > 0 ? config.lossWeights : defaultLossWeights(kinds.length);
  const context = { model, optimizer, kinds, lossWeights, labelSmoothing: config.labelSmoothing, clipNorm: config.clipNorm ?? undefined };
  while (state.epoch < config.epochs && !state.stopped) {
    const epoch = state.epoch + 1;
    const order = run.rng.shuffle(Array.from({ length: train.size }, (_, i) => i));
    const started = performance.now();
    let seen = 0;
    let lossSum = 0;
    let correct = 0;
    let batchIndex = 0;
    let learningRate = schedule(state.step);
    for (const raw of streamBatches(train, order, config.batchSize)) {
      const augmented = run.augmentation ? run.augmentation.apply(raw, run.rng) : raw;
      learningRate = schedule(state.step);
      const result = await trainStep(context, normalizeBatch(augmented, state.normalization), learningRate, run.rng);
      state.step += 1;
      batchIndex += 1;
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
        etaSeconds: remaining / imagesPerSecond,
      };
      run.onProgress?.(progress);
      for (const callback of run.callbacks) callback.onBatchEnd?.(progress);
    }
    const seconds = (performance.now() - started) / 1000;
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / seen,
      trainAccuracy: correct / seen,
      learningRate,
      seconds,
      imagesPerSecond: seen / seconds,
    };
    if (run.validation) {
      const validation = await evaluateModel(model, kinds[0] as OutputKind, run.validation, state.normalization, config.batchSize);
      Object.assign(metrics, { valLoss: validation.loss, valAccuracy: validation.top1, valTop5: validation.top5 });
    }
    state.epoch = epoch;
    state.history.push(metrics);
    updateEarlyStopping(state, metrics);
    for (const callback of run.callbacks) {
      if ((await callback.onEpochEnd?.(metrics)) === true) state.stopped = true;
    }
    state.rng = run.rng.getState();
    await writeRunReport(run.out, state.history);
    await writeCheckpoint(run.out, model, optimizer, state);
  }
}

// Monitors validation loss when there is a validation set, else training loss.
function updateEarlyStopping(state: TrainingRun['state'], metrics: EpochMetrics): void {
  const rule = state.config.earlyStopping;
  if (!rule) return;
  const monitored = metrics.valLoss ?? metrics.trainLoss;
  if (state.best === null || monitored < state.best - (rule.minDelta ?? 0)) {
    state.best = monitored;
    state.badEpochs = 0;
  } else {
    state.badEpochs += 1;
    if (state.badEpochs >= rule.patience) state.stopped = true;
  }
}
