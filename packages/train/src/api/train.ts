import { basename, join } from 'node:path';
import {
  ConvkitError,
  registry as defaultRegistry,
  initBackend,
  type OutputKind,
  type Registry,
  SeededRng,
  saveModel,
  writeFileAtomic,
} from '@convkit/core';
import { parseAugmentations } from '../augment/augmentation-specs.js';
import { pathExists } from '../data/find-file.js';
import type { ImageShape, LabeledImages } from '../data/labeled-images.js';
import { channelStatistics } from '../data/normalization.js';
import { openDataset } from '../data/open-dataset.js';
import { splitValidation } from '../data/split.js';
import { plugin } from '../plugin.js';
import { RUN_FILES } from '../report/run-files.js';
import { buildModelForData } from '../train/build-model.js';
import {
  assertSameArchitecture,
  assertWeightShapesFit,
  type Checkpoint,
  hasCheckpoint,
  readCheckpoint,
  restoreWeights,
  type TrainerState,
  weightShapes,
} from '../train/checkpoint.js';
import { evaluateModel } from '../train/evaluate-model.js';
import { writeModelMetadata } from '../train/model-metadata.js';
import { Optimizer } from '../train/optimizer.js';
import { type TrainConfig, validateConfig } from '../train/train-config.js';
import { runTrainingLoop } from '../train/training-loop.js';
import type { TrainOptions, TrainResult } from './train-options.js';

// Independent streams from one seed: weight init, validation hold-out, and the run itself.
const SPLIT_SALT = 0x2545f491;
const RUN_SALT = 0x6a09e667;

function configFrom(options: TrainOptions): TrainConfig {
  const optimizer = options.optimizer ?? 'adam';
  return validateConfig({
    epochs: options.epochs ?? 10,
    batchSize: options.batchSize ?? 64,
    learningRate: options.lr ?? (optimizer.startsWith('adam') ? 0.001 : 0.01),
    optimizer,
    momentum: options.momentum ?? 0.9,
    weightDecay: options.weightDecay ?? 0,
    schedule: options.schedule ?? 'constant',
    warmupEpochs: options.warmupEpochs ?? 0,
    labelSmoothing: options.labelSmoothing ?? 0,
    lossWeights: options.lossWeights ?? [],
    clipNorm: options.clipNorm ?? null,
    augment: options.augment ?? '',
    validationSplit: options.validationSplit ?? 0.1,
    earlyStopping: options.earlyStopping ?? null,
    seed: options.seed ?? 0,
    archOptions: options.archOptions ?? {},
  });
}

/** A dataset's test split and its training set already divided into the part trained on and validation. */
interface RunData {
  name: string;
  train: LabeledImages;
  validation: LabeledImages | undefined;
  test: LabeledImages;
}

// The full training set goes out of scope when this returns: held in train()'s frame for the whole
// run, it would double the training data's memory beside the two parts the split copied out of it.
async function openSplits(data: string, registry: Registry, config: TrainConfig, imageShape: ImageShape): Promise<RunData> {
  const { name, train, test } = await openDataset(data, registry, { seed: config.seed, imageShape });
  const split = splitValidation(train, config.validationSplit, new SeededRng(config.seed ^ SPLIT_SALT));
  return { name, train: split.train, validation: split.validation, test };
}

// A fresh run must not clobber an earlier one; resuming needs a checkpoint and the same architecture.
async function resolveStart(options: TrainOptions, out: string): Promise<{ config: TrainConfig; checkpoint: Checkpoint | undefined }> {
  // Validated even when resuming (where the checkpoint's values win), so `--lr -1` is never silent.
  const config = configFrom(options);
  if (!options.resume) {
    if ((await hasCheckpoint(out)) || (await pathExists(join(out, RUN_FILES.model)))) {
      throw new ConvkitError('run-exists', `${out} already holds a training run; pass --resume to continue it, or choose another --out`);
    }
    return { config, checkpoint: undefined };
  }
  const checkpoint = await readCheckpoint(out);
  assertSameArchitecture(checkpoint, options.arch, out);
  return { config: checkpoint.state.config, checkpoint };
}

/**
 * Trains a registered architecture on a dataset: validates every option, opens the data, builds the
 * model through the registry, then trains with checkpoints every epoch, writes `metrics.jsonl`, a
 * training-curve SVG, the final model (`model/`) and `summary.json` into `out`, and evaluates on the
 * test set. With `resume` it continues the checkpointed run in `out` exactly (same backend, same
 * weights as if never interrupted). Every user mistake is a one-line {@link ConvkitError} raised
 * before anything is written.
 *
 * @example
 * ```ts
 * const result = await train({ arch: 'lenet5', data: 'shapes', epochs: 3, backend: 'cpu', out: 'runs/demo' });
 * console.log(result.testAccuracy);
 * ```
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const registry = (options.registry ?? defaultRegistry).use(plugin);
  const spec = registry.get(options.arch).value;
  const out = options.out ?? join('runs', `${options.arch}-${basename(options.data)}`);
  const { config, checkpoint } = await resolveStart(options, out);
  const backend = await initBackend(options.backend);
  // Decoded image folders are sized for the model; formats with a fixed size ignore this.
  const imageShape = (config.archOptions.inputShape as ImageShape | undefined) ?? spec.defaultInput;
  const data = await openSplits(options.data, registry, config, imageShape);
  if (checkpoint && checkpoint.state.dataset !== data.name) {
    throw new ConvkitError(
      'checkpoint-mismatch',
      `the checkpoint in ${out} was trained on "${checkpoint.state.dataset}", not "${data.name}"; resume with the same --data`,
    );
  }
  const model = buildModelForData(
    registry,
    options.arch,
    config.archOptions,
    { shape: data.train.shape, numClasses: data.train.numClasses, name: data.name },
    new SeededRng(config.seed),
  );
  const kinds = registry.outputKinds(options.arch, model);
  const optimizer = new Optimizer({ name: config.optimizer, momentum: config.momentum, weightDecay: config.weightDecay });
  const rng = new SeededRng(config.seed ^ RUN_SALT);
  let state: Omit<TrainerState, 'optimizer'>;
  try {
    if (checkpoint) {
      assertWeightShapesFit(checkpoint, model, out);
      await restoreWeights(checkpoint.modelFolder, model);
      optimizer.setState(checkpoint.optimizer);
      rng.setState(checkpoint.state.rng);
      const { optimizer: _stored, ...rest } = checkpoint.state;
      state = rest;
    } else {
      state = {
        format: 1,
        arch: options.arch,
        weightShapes: weightShapes(model),
        dataset: data.name,
        classNames: [...data.train.classNames],
        normalization: channelStatistics(data.train),
        config,
        epoch: 0,
        step: 0,
        rng: rng.getState(),
        history: [],
        best: null,
        badEpochs: 0,
        stopped: false,
      };
    }
    const augmentation = parseAugmentations(config.augment, registry, data.train);
    // Reported only once every input has been checked, so bad input stays a one-line error.
    options.onBackend?.(backend);
    await runTrainingLoop({
      model,
      kinds,
      optimizer,
      train: data.train,
      validation: data.validation,
      augmentation,
      rng,
      state,
      out,
      callbacks: options.callbacks ?? [],
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const test = await evaluateModel(model, kinds[0] as OutputKind, data.test, state.normalization, config.batchSize);
    const modelFolder = join(out, RUN_FILES.model);
    await saveModel(model, modelFolder);
    await writeModelMetadata(modelFolder, {
      arch: options.arch,
      archOptions: config.archOptions,
      dataset: data.name,
      data: options.data,
      seed: config.seed,
      inputShape: data.train.shape,
      classNames: state.classNames,
      normalization: state.normalization,
    });
    const seconds = state.history.reduce((s, m) => s + m.seconds, 0);
    const images = state.history.reduce((s, m) => s + m.imagesPerSecond * m.seconds, 0);
    const result: TrainResult = {
      arch: options.arch,
      dataset: data.name,
      epochs: state.epoch,
      testAccuracy: test.top1,
      testLoss: test.loss,
      imagesPerSecond: seconds > 0 ? images / seconds : 0,
      backend: backend.backend,
      out,
      testTop5: test.top5,
      confusion: test.confusion,
      classNames: state.classNames,
      history: state.history,
      stoppedEarly: state.stopped && state.epoch < config.epochs,
    };
    await writeFileAtomic(join(out, RUN_FILES.summary), JSON.stringify(result, null, 2));
    return result;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
