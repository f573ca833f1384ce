import { ConvkitError, registry as defaultRegistry, type OutputKind, type Registry, SeededRng } from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { parseAugmentations } from '../augment/augmentation-specs.js';
import type { DatasetSplits } from '../data/labeled-images.js';
import type { ChannelStatistics } from '../data/normalization.js';
import { splitValidation } from '../data/split.js';
import { CROSS_ENTROPY } from '../objectives/cross-entropy-objective.js';
import type { Objective } from '../objectives/objective.js';
import { resolveTrainOptions, type TrainOptionValues } from '../options/training-options.js';
import { lossScalerFor } from '../techniques/loss-scaler.js';
import { buildModelForData } from '../train/build-model.js';
import type { EpochMetrics } from '../train/epoch-metrics.js';
import { evaluateModel } from '../train/evaluate-model.js';
import { freshTrainerState } from '../train/fresh-state.js';
import { defaultLossWeights } from '../train/loss.js';
import { Optimizer } from '../train/optimizer.js';
import { RUN_SEED_SALTS } from '../train/run-seeds.js';
import { eagerStepEngineFor } from '../train/step-engine.js';
import type { StepMetrics } from '../train/step-metrics.js';
import { runTrainingLoop } from '../train/training-loop.js';
import type { TrainingCallback, TrainProgress } from './train-options.js';

/** What {@link trainInMemory} accepts: the training options of `train`, the data itself instead of a name. */
export interface TrainInMemoryOptions extends Partial<TrainOptionValues> {
  /** Registered architecture name, e.g. `lenet5`. */
  arch: string;
  /** Architecture options; `numClasses` and `inputShape` come from the data. */
  archOptions?: Record<string, unknown>;
  /** Training and test images already in memory (`generateShapes()`, images a page decoded). */
  data: DatasetSplits;
  onProgress?: (progress: TrainProgress) => void;
  /** Called after every training step with its loss and accuracy, for a live curve. */
  onStep?: (step: StepMetrics) => void;
  callbacks?: TrainingCallback[];
  /**
   * Registry to build the model in; default convkit's process-wide one. It must hold the architecture
   * and any augmentation named in `augment` (`registry.use(plugin)` of the packages providing them).
   */
  registry?: Registry;
}

/** What {@link trainInMemory} returns: the trained model (the caller disposes it) and its figures. */
export interface TrainInMemoryResult {
  model: LayersModel;
  /** What each output of `model` holds, for prediction. */
  kinds: OutputKind[];
  history: EpochMetrics[];
  steps: StepMetrics[];
  testAccuracy: number;
  testLoss: number;
  testTop5: number;
  confusion: number[][];
  classNames: string[];
  /** Per-channel statistics the inputs were normalized with; a prediction must use the same. */
  normalization: ChannelStatistics;
  /** Mean training throughput over the run. */
  imagesPerSecond: number;
  stoppedEarly: boolean;
}

/**
 * Trains a registered architecture on images in memory with the trainer `train` uses — same options,
 * seeds, schedules, augmentation, early stopping and evaluation — but writes nothing: no files, no
 * checkpoints, so it runs in a web page (the `browser` entry of @convkit/train) as well as in Node.
 * The active backend is whatever `initBackend` activated.
 *
 * @example
 * ```ts
 * const data = generateShapes({ seed: 0 });
 * const { model, testAccuracy } = await trainInMemory({ arch: 'lenet5', data, epochs: 5 });
 * ```
 */
export async function trainInMemory(options: TrainInMemoryOptions): Promise<TrainInMemoryResult> {
  const registry = options.registry ?? defaultRegistry;
  const values = resolveTrainOptions(options);
  const config = { ...values, lr: values.lr as number, archOptions: options.archOptions ?? {} };
  const { data, arch } = options;
  // A teacher and initial weights are model folders on disk and EMA saves its own files; Node's `train` has them and drop-path.
  for (const name of ['teacher', 'init', 'ema'] as const) {
    if (config[name] !== null && config[name] !== undefined) {
      throw new ConvkitError('bad-option', `trainInMemory does not take ${name}; train with \`train\` (Node) for it, or leave it out`);
    }
  }
  if (config.engine === 'graph') {
    throw new ConvkitError(
      'bad-option',
      'trainInMemory runs the eager engine only; train with `train` (Node) for --engine graph, or leave engine out',
    );
  }
  if (config.progressiveResize !== null) {
    throw new ConvkitError(
      'bad-option',
      'trainInMemory does not take progressiveResize; train with `train` (Node) for it, or leave it out',
    );
  }
  if (config.dropPath > 0) {
    throw new ConvkitError('bad-option', 'trainInMemory does not take dropPath; train with `train` (Node) for it, or leave it at 0');
  }
  const split = splitValidation(data.train, config.validationSplit, new SeededRng(config.seed ^ RUN_SEED_SALTS.split));
  const model = buildModelForData(
    registry,
    arch,
    config.archOptions,
    { shape: split.train.shape, numClasses: split.train.numClasses, name: data.name },
    new SeededRng(config.seed),
  );
  const optimizer = new Optimizer({ name: config.optimizer, momentum: config.momentum, weightDecay: config.weightDecay });
  try {
    const kinds = registry.outputKinds(arch, model);
    const rng = new SeededRng(config.seed ^ RUN_SEED_SALTS.run);
    const state = freshTrainerState({ arch, data: data.name, dataset: data.name, model, train: split.train, config, rng });
    const objective = (await registry.objectives.get(config.objective ?? CROSS_ENTROPY).value.create({
      config,
      kinds,
      lossWeights: config.lossWeights.length > 0 ? config.lossWeights : defaultLossWeights(kinds.length),
      registry,
      input: { shape: split.train.shape, numClasses: split.train.numClasses, normalization: state.normalization },
    })) as Objective;
    const steps: StepMetrics[] = [];
    const lossScaler = lossScalerFor(config.lossScale);
    await runTrainingLoop({
      model,
      kinds,
      engine: eagerStepEngineFor(config, { model, optimizer, objective, lossScaler }),
      lossScaler,
      train: split.train,
      validation: split.validation,
      augmentation: parseAugmentations(config.augment, registry, split.train),
      rng,
      state,
      steps,
      callbacks: options.callbacks ?? [],
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onStep ? { onStep: options.onStep } : {}),
    });
    const test = await evaluateModel(model, kinds[0] as OutputKind, data.test, state.normalization, config.batchSize);
    const seconds = state.history.reduce((s, m) => s + m.seconds, 0);
    const images = state.history.reduce((s, m) => s + m.imagesPerSecond * m.seconds, 0);
    return {
      model,
      kinds,
      history: state.history,
      steps,
      testAccuracy: test.top1,
      testLoss: test.loss,
      testTop5: test.top5,
      confusion: test.confusion,
      classNames: state.classNames,
      normalization: state.normalization,
      imagesPerSecond: seconds > 0 ? images / seconds : 0,
      stoppedEarly: state.stopped && state.epoch < config.epochs,
    };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
