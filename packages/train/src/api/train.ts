import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  type AnyArchitectureSpec,
  ConvkitError,
  registry as defaultRegistry,
  initBackend,
  type OutputKind,
  optionShape,
  type Registry,
  SeededRng,
  saveModel,
  writeFileAtomic,
} from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { parseAugmentations } from '../augment/augmentation-specs.js';
import { pathExists } from '../data/find-file.js';
import type { ImageShape, LabeledImages } from '../data/labeled-images.js';
import { openDataset } from '../data/open-dataset.js';
import { splitValidation } from '../data/split.js';
import type { Objective } from '../objectives/objective.js';
import { createObjective } from '../objectives/objectives.js';
import { resolveTrainOptions } from '../options/training-options.js';
import { plugin } from '../plugin.js';
import { RUN_FILES, writeFinalPictures, writeTrainingCurve } from '../report/run-files.js';
import { appendRunLog, truncateRunLog } from '../report/run-log.js';
import { DropPathSchedule } from '../techniques/drop-path-schedule.js';
import { lossScalerFor } from '../techniques/loss-scaler.js';
import { ProgressiveResize } from '../techniques/progressive-resize.js';
import { finalSize, parseResizeSchedule, type ResizeStage } from '../techniques/resize-schedule.js';
import { EMA_FILE, EMA_MODEL, WeightEma } from '../techniques/weight-ema.js';
import { buildModelForData } from '../train/build-model.js';
import {
  assertSameArchitecture,
  assertWeightShapesFit,
  BEST,
  CHECKPOINTS,
  type Checkpoint,
  hasCheckpoint,
  readCheckpoint,
  restoreWeights,
  type TrainerState,
  writeCheckpoint,
} from '../train/checkpoint.js';
import { openGraphEngine } from '../train/engine-choice.js';
import { evaluateModel } from '../train/evaluate-model.js';
import { freshTrainerState } from '../train/fresh-state.js';
import { type InitialWeightsReport, initialModel, loadInitialWeights } from '../train/initial-weights.js';
import { defaultLossWeights } from '../train/loss.js';
import { writeModelMetadata } from '../train/model-metadata.js';
import { Optimizer } from '../train/optimizer.js';
import { resumedConfig } from '../train/resume-config.js';
import { RUN_SEED_SALTS } from '../train/run-seeds.js';
import { eagerStepEngineFor, type StepEngine } from '../train/step-engine.js';
import type { StepMetrics } from '../train/step-metrics.js';
import type { TrainConfig } from '../train/train-config.js';
import { runTrainingLoop } from '../train/training-loop.js';
import type { TrainOptions, TrainResult } from './train-options.js';

/** The dataset a fresh run trains on when none is given: the embedded synthetic one. */
export const DEFAULT_DATA = 'shapes';

/** A dataset's test split and its training set already divided into the part trained on and validation. */
interface RunData {
  name: string;
  train: LabeledImages;
  validation: LabeledImages | undefined;
  test: LabeledImages;
}

// The full training set goes out of scope when this returns: held in train()'s frame for the whole
// run, it would double the training data's memory beside the two parts the split copied out of it.
async function openSplits(
  data: string,
  registry: Registry,
  config: TrainConfig,
  imageShape: ImageShape,
  onWarning: ((message: string) => void) | undefined,
): Promise<RunData> {
  const { name, train, test } = await openDataset(data, registry, { seed: config.seed, imageShape, ...(onWarning ? { onWarning } : {}) });
  const split = splitValidation(train, config.validationSplit, new SeededRng(config.seed ^ RUN_SEED_SALTS.split));
  return { name, train: split.train, validation: split.validation, test };
}

/** Where a run starts: its configuration, and the checkpoint it continues (none for a fresh run). */
interface RunStartPoint {
  arch: string;
  data: string;
  config: TrainConfig;
  checkpoint: Checkpoint | undefined;
}

// A fresh run must not clobber an earlier one unless told to; resuming needs a checkpoint, and the
// options given again must fit the run it continues.
async function resolveStart(options: TrainOptions, out: string): Promise<RunStartPoint> {
  // Validated even when resuming, so `--lr -1` is never silent.
  const values = resolveTrainOptions(options);
  if (options.resume && options.overwrite) {
    throw new ConvkitError(
      'bad-option',
      '--resume and --overwrite contradict each other; pass one: continue the run in --out, or replace it',
    );
  }
  if (!options.resume) {
    if (options.arch === undefined)
      throw new ConvkitError('bad-option', 'no architecture given; pass --arch NAME (see `convkit models list`)');
    if (!options.overwrite && ((await hasCheckpoint(out)) || (await pathExists(join(out, RUN_FILES.model))))) {
      throw new ConvkitError(
        'run-exists',
        `${out} already holds a training run; pass --resume to continue it, --overwrite to replace it, or choose another --out`,
      );
    }
    const config = { ...values, lr: values.lr as number, archOptions: options.archOptions ?? {} };
    return { arch: options.arch, data: options.data ?? DEFAULT_DATA, config, checkpoint: undefined };
  }
  const checkpoint = await readCheckpoint(out);
  const arch = options.arch ?? checkpoint.state.arch;
  assertSameArchitecture(checkpoint, arch, out);
  const data = options.data ?? checkpoint.state.data;
  if (data === undefined) {
    throw new ConvkitError('bad-option', `the checkpoint in ${out} does not record its dataset; resume with the --data it was trained on`);
  }
  const config = resumedConfig(checkpoint.state.config, options, options.archOptions, checkpoint.state.epoch, out);
  return { arch, data, config, checkpoint };
}

/** Removes the files of the run in `out` that a new run writes, leaving anything else there alone. */
async function removeRun(out: string): Promise<void> {
  const files = [CHECKPOINTS, EMA_MODEL, ...Object.values(RUN_FILES)];
  await Promise.all(files.map((file) => rm(join(out, file), { recursive: true, force: true })));
}

/** The architecture options with `dropPath` from `--drop-path`, for architectures that take it. */
function withDropPath(config: TrainConfig, spec: AnyArchitectureSpec, arch: string): Record<string, unknown> {
  if (config.dropPath === 0) return config.archOptions;
  if (!('dropPath' in optionShape(spec))) {
    throw new ConvkitError(
      'bad-option',
      `--drop-path needs drop-path layers but ${arch} has none (it takes no dropPath option); drop --drop-path or choose a residual architecture such as resnet20`,
    );
  }
  if (config.archOptions.dropPath !== undefined) {
    throw new ConvkitError('bad-option', '--drop-path and dropPath in --arch-options both set the drop-path rate; pass one of them');
  }
  return { ...config.archOptions, dropPath: config.dropPath };
}

/** The model's input: the data's images, or with progressive resizing square ones of the schedule's last size. */
function inputShapeFor(config: TrainConfig, data: ImageShape): ImageShape {
  if (config.progressiveResize === null) return data;
  const size = finalSize(parseResizeSchedule(config.progressiveResize) as ResizeStage[]);
  return [size, size, data[2]];
}

/** The run's weight average: a fresh one, or the checkpoint's. */
async function openEma(model: LayersModel, decay: number, checkpoint: Checkpoint | undefined, out: string): Promise<WeightEma> {
  const ema = new WeightEma(model, decay);
  if (checkpoint) {
    const bytes = checkpoint.files[EMA_FILE];
    if (!bytes) {
      ema.dispose();
      throw new ConvkitError(
        'corrupted-checkpoint',
        `the checkpoint in ${out} has no ${EMA_FILE} although the run averages its weights; restore it from a backup or start a new run`,
      );
    }
    ema.restore(bytes);
  }
  return ema;
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
export async function train(given: TrainOptions): Promise<TrainResult> {
  const registry = (given.registry ?? defaultRegistry).use(plugin);
  // A resume continues its checkpoint's weights; only a fresh run starts from --init.
  const init = given.init != null && !given.resume ? await initialModel(given.init, given.arch, given.archOptions) : undefined;
  const options = init ? { ...given, arch: init.arch, archOptions: init.archOptions } : given;
  if (options.resume && options.out === undefined && options.arch === undefined) {
    throw new ConvkitError('bad-option', 'nothing says which run to resume; pass --out with the folder of the run');
  }
  if (options.arch !== undefined) registry.get(options.arch);
  const out = options.out ?? join('runs', `${options.arch}-${basename(options.data ?? DEFAULT_DATA)}`);
  const { arch, config, checkpoint, ...start } = await resolveStart(options, out);
  const spec = registry.get(arch).value;
  const backend = await initBackend(options.backend);
  // Decoded image folders are sized for the model; formats with a fixed size ignore this.
  const imageShape = (config.archOptions.inputShape as ImageShape | undefined) ?? spec.defaultInput;
  const data = await openSplits(start.data, registry, config, imageShape, options.onWarning);
  if (checkpoint && checkpoint.state.dataset !== data.name) {
    throw new ConvkitError(
      'checkpoint-mismatch',
      `the checkpoint in ${out} was trained on "${checkpoint.state.dataset}", not "${data.name}"; resume with the same --data`,
    );
  }
  const modelShape = inputShapeFor(config, data.train.shape);
  const model = buildModelForData(
    registry,
    arch,
    withDropPath(config, spec, arch),
    { shape: modelShape, numClasses: data.train.numClasses, name: data.name },
    new SeededRng(config.seed),
  );
  const kinds = registry.outputKinds(arch, model);
  const optimizer = new Optimizer({ name: config.optimizer, momentum: config.momentum, weightDecay: config.weightDecay });
  const rng = new SeededRng(config.seed ^ RUN_SEED_SALTS.run);
  let state: Omit<TrainerState, 'optimizer'>;
  let steps: StepMetrics[] = [];
  let objective: Objective | undefined;
  let ema: WeightEma | undefined;
  let engine: StepEngine | undefined;
  let resize: ProgressiveResize | undefined;
  let initReport: InitialWeightsReport | undefined;
  try {
    if (checkpoint) {
      assertWeightShapesFit(checkpoint, model, out);
      await restoreWeights(checkpoint.modelFolder, model);
      optimizer.setState(checkpoint.optimizer);
      rng.setState(checkpoint.state.rng);
      const { optimizer: _stored, ...rest } = checkpoint.state;
      state = { ...rest, data: start.data, config, bestEpoch: rest.bestEpoch ?? null };
    } else {
      if (init) initReport = await loadInitialWeights(model, init.folder, arch);
      state = freshTrainerState({ arch, data: start.data, dataset: data.name, model, train: data.train, config, rng });
    }
    const augmentation = parseAugmentations(config.augment, registry, data.train);
    const dropPath = config.dropPath > 0 ? new DropPathSchedule(model, arch) : undefined;
    if (config.progressiveResize !== null) resize = new ProgressiveResize(model, config.progressiveResize, arch);
    const lossScaler = lossScalerFor(config.lossScale, state.lossScale);
    if (config.ema !== null) ema = await openEma(model, config.ema, checkpoint, out);
    objective = await createObjective({
      config,
      kinds,
      lossWeights: config.lossWeights.length > 0 ? config.lossWeights : defaultLossWeights(kinds.length),
      registry,
      input: { shape: data.train.shape, numClasses: data.train.numClasses, normalization: state.normalization },
    });
    if (options.overwrite) await removeRun(out);
    // A fresh run starts an empty log (a crash before the first checkpoint may have left lines).
    steps = await truncateRunLog(out, state.epoch, state.step);
    // Reported only once every input has been checked, so bad input stays a one-line error.
    const eager = eagerStepEngineFor(config, { model, optimizer, objective, lossScaler });
    const choice = await openGraphEngine(
      {
        config,
        backend,
        model,
        kinds,
        objective: objective.name,
        resize: resize ? { schedule: resize, firstSize: resize.sizeAt(state.epoch + 1) } : undefined,
      },
      checkpoint?.optimizer,
    );
    const stepEngine = choice.engine ?? eager;
    engine = stepEngine;
    options.onBackend?.(backend);
    if (choice.fallback) options.onWarning?.(choice.fallback);
    options.onStart?.({
      arch,
      out,
      epoch: state.epoch,
      epochs: config.epochs,
      resumed: checkpoint !== undefined,
      engine: stepEngine.name,
      ...(initReport ? { init: initReport } : {}),
    });
    await runTrainingLoop({
      model,
      kinds,
      engine: stepEngine,
      ema,
      dropPath,
      resize,
      lossScaler,
      train: data.train,
      validation: data.validation,
      augmentation,
      rng,
      state,
      steps,
      persistEpoch: async ({ log, isBest, stepsPerEpoch }) => {
        await appendRunLog(out, log);
        await writeTrainingCurve(out, state.history, steps, stepsPerEpoch);
        const files: Record<string, Uint8Array> = ema ? { [EMA_FILE]: await ema.bytes() } : {};
        await writeCheckpoint(out, model, stepEngine, state, { keep: config.keepCheckpoints, isBest }, files);
      },
      callbacks: options.callbacks ?? [],
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const useBest = config.finalModel === 'best' && state.bestEpoch !== null && state.bestEpoch !== state.epoch;
    if (useBest) await restoreWeights(join(out, CHECKPOINTS, BEST), model);
    const modelEpoch = useBest ? (state.bestEpoch as number) : state.epoch;
    const test = await evaluateModel(model, kinds[0] as OutputKind, data.test, state.normalization, config.batchSize);
    const metadata = {
      arch,
      archOptions: config.archOptions,
      dataset: data.name,
      data: start.data,
      epoch: modelEpoch,
      seed: config.seed,
      inputShape: modelShape,
      classNames: state.classNames,
      normalization: state.normalization,
    };
    const modelFolder = join(out, RUN_FILES.model);
    await saveModel(model, modelFolder);
    await writeModelMetadata(modelFolder, metadata);
    // The average of the whole run (not of the best epoch): tested and saved beside the raw model.
    const emaTest = ema
      ? await ema.withAveraged(async () => {
          const folder = join(out, EMA_MODEL);
          await saveModel(model, folder);
          await writeModelMetadata(folder, { ...metadata, epoch: state.epoch });
          return evaluateModel(model, kinds[0] as OutputKind, data.test, state.normalization, config.batchSize);
        })
      : undefined;
    const seconds = state.history.reduce((s, m) => s + m.seconds, 0);
    const images = state.history.reduce((s, m) => s + m.imagesPerSecond * m.seconds, 0);
    const stepsPerEpoch = Math.ceil(data.train.size / config.batchSize);
    await writeFinalPictures(out, { history: state.history, steps, stepsPerEpoch }, test.confusion, state.classNames);
    const result: TrainResult = {
      arch,
      dataset: data.name,
      epochs: state.epoch,
      testAccuracy: test.top1,
      testLoss: test.loss,
      imagesPerSecond: seconds > 0 ? images / seconds : 0,
      backend: backend.backend,
      out,
      engine: stepEngine.name,
      precision: config.precision,
      testTop5: test.top5,
      confusion: test.confusion,
      classNames: state.classNames,
      history: state.history,
      stoppedEarly: state.stopped && state.epoch < config.epochs,
      modelEpoch,
      ...(initReport ? { init: initReport } : {}),
      ...(emaTest
        ? { ema: { testAccuracy: emaTest.top1, testLoss: emaTest.loss, testTop5: emaTest.top5, out: join(out, EMA_MODEL) } }
        : {}),
    };
    await writeFileAtomic(join(out, RUN_FILES.summary), JSON.stringify(result, null, 2));
    return result;
  } finally {
    ema?.dispose();
    if (engine?.name === 'graph') engine.dispose();
    resize?.dispose();
    objective?.dispose?.();
    optimizer.dispose();
    model.dispose();
  }
}
