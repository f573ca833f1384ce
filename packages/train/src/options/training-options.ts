import { ConvkitError } from '@convkit/core';
import { z } from 'zod';
import { parseResizeSchedule } from '../techniques/resize-schedule.js';
import { OPTIMIZER_NAMES } from '../train/optimizer.js';
import { SCHEDULE_NAMES } from '../train/schedule.js';
import { ENGINE_NAMES } from '../train/step-engine.js';
import { kinds, type OptionKind } from './option-kinds.js';

/**
 * What a resumed run does with an option given again: `fixed` options shape the run's math and must
 * equal the checkpoint's; `extend` may grow (more epochs); `free` ones change nothing already trained.
 */
export type ResumeRule = 'fixed' | 'extend' | 'free';

/** One training option: declared once, and the library's defaults, the CLI flags and the docs derive from it. */
export interface TrainOptionSpec<T, Default extends T | null = T | null> {
  kind: OptionKind<T>;
  /** `null`: off unless given (no clipping, no early stopping) or derived from other options. */
  default: Default;
  /** The default in words, when `default` alone does not say it. */
  defaultText?: string;
  description: string;
  resume: ResumeRule;
  /** The CLI flag, when it is not the kebab-case of the option's name. */
  flag?: string;
}

function option<T>(spec: TrainOptionSpec<T, NoInfer<T>>): TrainOptionSpec<T, T> {
  return spec;
}

/** An option that is off (or derived from other options) unless given. */
function offByDefault<T>(spec: Omit<TrainOptionSpec<T, null>, 'default'>): TrainOptionSpec<T, null> {
  return { ...spec, default: null };
}

/**
 * Every option of a training run. Adding an option is one entry here: `train()` validates and
 * defaults it, `convkit train` offers it as a flag, a resume checks it, and the train README's
 * options table lists it (a test keeps that table equal to this one).
 */
export const TRAIN_OPTIONS = {
  epochs: option({ kind: kinds.positiveInteger(), default: 10, description: 'epochs to train', resume: 'extend' }),
  batchSize: option({ kind: kinds.positiveInteger(), default: 64, description: 'images per optimizer step', resume: 'fixed' }),
  lr: offByDefault({
    kind: kinds.positive('0.01'),
    defaultText: '0.001 for adam/adamw, 0.01 for sgd/nesterov',
    description: 'peak learning rate',
    resume: 'fixed',
  }),
  optimizer: option({ kind: kinds.choice(OPTIMIZER_NAMES), default: 'adam', description: 'optimizer', resume: 'fixed' }),
  momentum: option({ kind: kinds.fraction(), default: 0.9, description: 'SGD momentum (sgd, nesterov)', resume: 'fixed' }),
  weightDecay: option({
    kind: kinds.nonNegative(),
    default: 0,
    description: 'weight decay on kernels (L2; decoupled for adamw)',
    resume: 'fixed',
  }),
  schedule: option({ kind: kinds.choice(SCHEDULE_NAMES), default: 'constant', description: 'learning-rate schedule', resume: 'fixed' }),
  warmupEpochs: option({
    kind: kinds.nonNegative(),
    default: 0,
    flag: 'warmup',
    description: 'epochs of linear learning-rate warm-up, at most --epochs',
    resume: 'fixed',
  }),
  labelSmoothing: option({ kind: kinds.fraction(), default: 0, description: 'label smoothing epsilon', resume: 'fixed' }),
  lossWeights: option({
    kind: kinds.nonNegativeList(),
    default: [],
    defaultText: '1 for the main output, 0.3 for each auxiliary head',
    description: 'loss weight of each model output, e.g. 1,0.3,0.3',
    resume: 'fixed',
  }),
  clipNorm: offByDefault({
    kind: kinds.positive('5'),
    defaultText: 'off',
    description: 'clip gradients to this global L2 norm',
    resume: 'fixed',
  }),
  augment: option({
    kind: kinds.text('augmentations such as crop:4,flip'),
    default: '',
    defaultText: 'none',
    description: 'augmentations in order: crop:PAD, flip, resized-crop, pca-jitter, cutout:SIZE, mixup:ALPHA',
    resume: 'fixed',
  }),
  init: offByDefault({
    kind: kinds.text('a model folder such as runs/x/model'),
    defaultText: 'fresh weights',
    description:
      "start from this model folder's weights (`convkit train` or `convkit import` output): layers matching by name and shape load, the classifier is re-headed to the data's classes; --arch defaults to its architecture",
    resume: 'fixed',
  }),
  objective: offByDefault({
    kind: kinds.text('a registered objective such as cross-entropy or distillation'),
    defaultText: 'distillation with --teacher, else cross-entropy',
    description: "the loss minimised: a registered objective (cross-entropy, distillation, or a plugin's)",
    resume: 'fixed',
  }),
  teacher: offByDefault({
    kind: kinds.text('a model folder such as runs/x/model'),
    defaultText: 'none',
    description: 'distil from this model: a `convkit train` or `convkit import` output folder, run in inference mode at its own input size',
    resume: 'fixed',
  }),
  kdTemperature: option({
    kind: kinds.positive('4'),
    default: 4,
    description: 'distillation softmax temperature T (the soft term is scaled by T^2)',
    resume: 'fixed',
  }),
  kdAlpha: option({
    kind: kinds.unitInterval(),
    default: 0.1,
    description: 'distillation weight of the hard-label cross-entropy; the teacher term gets 1 - alpha',
    resume: 'fixed',
  }),
  ema: offByDefault({
    kind: kinds.openFraction('0.999'),
    defaultText: 'off',
    description:
      'keep an exponential moving average of the weights with this decay; it is validated, tested and saved (model-ema/) beside the raw weights',
    resume: 'fixed',
  }),
  dropPath: option({
    kind: kinds.fraction(),
    default: 0,
    description:
      'drop-path (stochastic depth) rate of the last block, linear over depth and over epochs; for architectures with drop-path layers',
    resume: 'fixed',
  }),
  precision: option({
    kind: kinds.choice(['fp32', 'bf16', 'fp16'] as const),
    default: 'fp32',
    description:
      'numeric precision: bf16 computes the forward and backward passes in bfloat16 on the graph engine (--backend tensorflow; weights, optimizer and loss stay float32); fp16 rounds the gradients to float16 as they leave the backward pass (emulated in float32 on the eager engine: tfjs has no float16 compute) and turns on loss scaling',
    resume: 'fixed',
  }),
  lossScale: offByDefault({
    kind: kinds.choice(['dynamic', 'off'] as const),
    defaultText: 'dynamic with --precision fp16, else off',
    description:
      "dynamic loss scaling (PyTorch's GradScaler: scale 2^16, doubled after 2,000 finite steps, halved and the step skipped on inf/NaN)",
    resume: 'fixed',
  }),
  progressiveResize: offByDefault({
    kind: kinds.resizeSchedule(),
    defaultText: 'off',
    description:
      'train at these square input sizes from these epochs on (SIZE:START_EPOCH), the same weights throughout; the model, validation and test take the last size; for architectures that are size-agnostic after the stem (global pooling)',
    resume: 'fixed',
  }),
  validationSplit: option({
    kind: kinds.fraction(),
    default: 0.1,
    description: 'fraction of the training set held out for validation',
    resume: 'fixed',
  }),
  patience: offByDefault({
    kind: kinds.positiveInteger(),
    defaultText: 'off',
    description: 'stop after this many epochs without improvement of the validation loss (training loss with --validation-split 0)',
    resume: 'fixed',
  }),
  minDelta: option({
    kind: kinds.nonNegative(),
    default: 0,
    description: 'smallest loss decrease that counts as an improvement (early stopping, best model)',
    resume: 'fixed',
  }),
  engine: offByDefault({
    kind: kinds.choice(ENGINE_NAMES),
    defaultText: 'graph on the tensorflow backend when the run lowers, else eager',
    description:
      'graph: each step one TensorFlow graph run in a session (grappler, oneDNN fusions); eager: tfjs op by op. A run the graph engine refuses trains on eager and says why',
    resume: 'free',
  }),
  seed: option({ kind: kinds.nonNegativeInteger(), default: 0, description: 'seed of everything random in the run', resume: 'fixed' }),
  keepCheckpoints: option({
    kind: kinds.positiveInteger(),
    default: 1,
    description: 'epoch checkpoints to keep, newest first (the best is kept besides)',
    resume: 'free',
  }),
  finalModel: option({
    kind: kinds.choice(['last', 'best'] as const),
    default: 'last',
    description: 'what model/ holds and the test set scores: the last epoch, or the best by validation loss',
    resume: 'free',
  }),
};

/** Name of a training option: a key of {@link TRAIN_OPTIONS}. */
export type TrainOptionName = keyof typeof TRAIN_OPTIONS;

/** The value type of each option, `null` included for options that are off by default. */
export type TrainOptionValues = {
  [K in TrainOptionName]: (typeof TRAIN_OPTIONS)[K] extends { kind: OptionKind<infer T>; default: infer D }
    ? null extends D
      ? T | null
      : T
    : never;
};

/** Names of the options, in table order. */
export const TRAIN_OPTION_NAMES = Object.keys(TRAIN_OPTIONS) as TrainOptionName[];

/** The CLI flag of option `name`: `batchSize` → `batch-size`. */
export function flagOf(name: TrainOptionName): string {
  const spec: TrainOptionSpec<unknown> = TRAIN_OPTIONS[name];
  return spec.flag ?? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The zod schema of all training options, defaults filled; built from {@link TRAIN_OPTIONS}. */
export const trainOptionsSchema = z.object(
  Object.fromEntries(
    TRAIN_OPTION_NAMES.map((name) => {
      const spec: TrainOptionSpec<unknown> = TRAIN_OPTIONS[name];
      const schema = spec.default === null ? spec.kind.schema.nullable() : spec.kind.schema;
      return [name, schema.default(spec.default).describe(spec.description)];
    }),
  ) as unknown as { [K in TrainOptionName]: z.ZodType<TrainOptionValues[K], z.ZodTypeDef, TrainOptionValues[K] | undefined> },
);

const show = (value: unknown) => (Array.isArray(value) ? value.join(',') : typeof value === 'string' ? `"${value}"` : String(value));

/** The one-line error for a bad value of option `name`. */
export function badOption(name: TrainOptionName, value: unknown, expected: string = TRAIN_OPTIONS[name].kind.expected): ConvkitError {
  return new ConvkitError('bad-option', `--${flagOf(name)} ${show(value)} is invalid; expected ${expected}`);
}

/**
 * Validates the training options given (undefined keys take their defaults) and fills the defaults,
 * including those derived from other options; every problem is a one-line {@link ConvkitError} that
 * names the flag, the value and what is expected.
 */
export function resolveTrainOptions(given: Partial<Record<TrainOptionName, unknown>>): TrainOptionValues {
  const picked = Object.fromEntries(TRAIN_OPTION_NAMES.filter((name) => given[name] !== undefined).map((name) => [name, given[name]]));
  const parsed = trainOptionsSchema.safeParse(picked);
  if (!parsed.success) {
    const name = parsed.error.issues[0]?.path[0] as TrainOptionName;
    throw badOption(name, given[name]);
  }
  const values = parsed.data as TrainOptionValues;
  values.lr ??= values.optimizer.startsWith('adam') ? 0.001 : 0.01;
  values.lossScale ??= values.precision === 'fp16' ? 'dynamic' : 'off';
  if (values.objective === 'cross-entropy' && values.teacher !== null)
    throw badOption('objective', values.objective, 'distillation (or no --objective) when a --teacher is given');
  const lastStart = values.progressiveResize === null ? 0 : (parseResizeSchedule(values.progressiveResize)?.at(-1)?.startEpoch ?? 0);
  if (lastStart >= values.epochs)
    throw badOption('progressiveResize', values.progressiveResize, `stages that start before --epochs (${values.epochs})`);
  if (values.warmupEpochs > values.epochs)
    throw badOption('warmupEpochs', values.warmupEpochs, `between 0 and --epochs (${values.epochs})`);
  return values;
}
