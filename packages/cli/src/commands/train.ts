import { parseBackendPreference } from '@convkit/core';
import { type EpochMetrics, OPTIMIZER_NAMES, SCHEDULE_NAMES, type TrainResult, train } from '@convkit/train';
import { Flags, ux } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { formatCount } from '../format.js';
import { parseJsonObject } from '../parse-json-object.js';
import { parseNumber } from '../parse-number.js';
import { progressLine } from '../progress-line.js';

/** What `convkit train --json` prints: one line with these keys. */
export type TrainJson = Pick<
  TrainResult,
  'arch' | 'dataset' | 'epochs' | 'testAccuracy' | 'testLoss' | 'imagesPerSecond' | 'backend' | 'out'
>;

const percent = (value: number | undefined) => (value === undefined ? '-' : `${(100 * value).toFixed(2)}%`);
const fixed = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(4));

const COLUMNS: [string, number, (m: EpochMetrics) => string][] = [
  ['epoch', 5, (m) => String(m.epoch)],
  ['loss', 8, (m) => fixed(m.trainLoss)],
  ['acc', 8, (m) => percent(m.trainAccuracy)],
  ['val loss', 8, (m) => fixed(m.valLoss)],
  ['val acc', 8, (m) => percent(m.valAccuracy)],
  ['lr', 10, (m) => m.learningRate.toPrecision(3)],
  ['img/s', 8, (m) => formatCount(Math.round(m.imagesPerSecond))],
  ['time', 7, (m) => `${m.seconds.toFixed(1)}s`],
];

const row = (cells: string[]) => cells.map((c, i) => c.padStart(COLUMNS[i]?.[1] ?? 0)).join('  ');

/** `convkit train`: trains a registered architecture on a dataset, with progress, checkpoints and plots. */
export default class Train extends ConvkitCommand<typeof Train> {
  static override summary = 'Train a registered architecture on a dataset, with checkpoints, metrics and a training-curve plot';
  static override description =
    'Writes checkpoints every epoch, metrics.jsonl, training-curve.svg, the final model (model/) and summary.json into --out. A killed run continues with --resume (using the hyper-parameters stored in its checkpoint) and ends as if never interrupted. --data is a dataset name (shapes, fashion-mnist, mnist, cifar10, cifar100) or a folder of IDX files, CIFAR binaries or one subfolder of images per class.';
  static override examples = [
    '<%= config.bin %> train --arch lenet5 --data shapes --epochs 3',
    '<%= config.bin %> train --arch lenet5 --data fashion-mnist --epochs 10 --out runs/fmnist',
    '<%= config.bin %> train --arch lenet5 --data fashion-mnist --out runs/fmnist --resume',
    '<%= config.bin %> train --arch lenet5 --data ./my-images --augment crop:4,flip --optimizer nesterov --lr 0.05 --schedule cosine',
    '<%= config.bin %> train --arch lenet5 --arch-options \'{"activation":"relu","pooling":"max"}\' --data fashion-mnist',
  ];
  static override flags = {
    arch: Flags.string({ description: 'architecture name (see `convkit models list`)', required: true }),
    'arch-options': Flags.string({
      description: 'architecture options as JSON, e.g. \'{"auxLogits":true}\' (see `convkit models summary`)',
    }),
    data: Flags.string({ description: 'dataset name or folder', default: 'shapes' }),
    epochs: Flags.integer({ description: 'epochs to train', default: 10 }),
    'batch-size': Flags.integer({ description: 'images per step', default: 64 }),
    lr: Flags.string({ description: 'peak learning rate (default 0.001 for adam/adamw, 0.01 for sgd/nesterov)' }),
    optimizer: Flags.string({ description: 'optimizer', options: [...OPTIMIZER_NAMES], default: 'adam' }),
    momentum: Flags.string({ description: 'SGD momentum', default: '0.9' }),
    'weight-decay': Flags.string({ description: 'weight decay (decoupled for adamw)', default: '0' }),
    schedule: Flags.string({ description: 'learning-rate schedule', options: [...SCHEDULE_NAMES], default: 'constant' }),
    warmup: Flags.string({ description: 'epochs of linear learning-rate warm-up', default: '0' }),
    'label-smoothing': Flags.string({ description: 'label smoothing epsilon', default: '0' }),
    'clip-norm': Flags.string({ description: 'clip gradients to this global L2 norm' }),
    augment: Flags.string({ description: 'augmentations, e.g. crop:4,flip,cutout:8,mixup:0.2,pca-jitter,resized-crop', default: '' }),
    'validation-split': Flags.string({ description: 'fraction of the training set held out for validation', default: '0.1' }),
    patience: Flags.integer({
      description:
        'stop early after this many epochs without improvement of the validation loss (the training loss with --validation-split 0)',
    }),
    seed: Flags.integer({ description: 'seed of everything random in the run', default: 0 }),
    out: Flags.string({ description: 'output folder (default runs/ARCH-DATASET)' }),
    resume: Flags.boolean({ description: 'continue the run checkpointed in --out', default: false }),
  };

  // The final result is one line, so scripts can read the last line of stdout.
  protected override logJson(json: unknown): void {
    ux.stdout(JSON.stringify(json));
  }

  async run(): Promise<TrainJson> {
    const f = this.flags;
    const { registry } = await this.registry();
    const interactive = !this.jsonEnabled() && process.stderr.isTTY;
    let headerShown = false;
    const result = await train({
      registry,
      // train() activates the backend itself, after validating everything, so bad input stays one line.
      ...(f.backend === undefined ? {} : { backend: parseBackendPreference(f.backend) }),
      onBackend: this.reportBackend,
      arch: f.arch,
      ...(f['arch-options'] === undefined ? {} : { archOptions: parseJsonObject('arch-options', f['arch-options']) }),
      data: f.data,
      epochs: f.epochs,
      batchSize: f['batch-size'],
      ...(f.lr === undefined ? {} : { lr: parseNumber('lr', f.lr) }),
      optimizer: f.optimizer as (typeof OPTIMIZER_NAMES)[number],
      momentum: parseNumber('momentum', f.momentum),
      weightDecay: parseNumber('weight-decay', f['weight-decay']),
      schedule: f.schedule as (typeof SCHEDULE_NAMES)[number],
      warmupEpochs: parseNumber('warmup', f.warmup),
      labelSmoothing: parseNumber('label-smoothing', f['label-smoothing']),
      ...(f['clip-norm'] === undefined ? {} : { clipNorm: parseNumber('clip-norm', f['clip-norm']) }),
      augment: f.augment,
      validationSplit: parseNumber('validation-split', f['validation-split']),
      ...(f.patience === undefined ? {} : { earlyStopping: { patience: f.patience } }),
      seed: f.seed,
      ...(f.out === undefined ? {} : { out: f.out }),
      resume: f.resume,
      onProgress: interactive ? (p) => process.stderr.write(`\r${progressLine(p)}\u001b[K`) : undefined,
      callbacks: [
        {
          onEpochEnd: (m) => {
            if (interactive) process.stderr.write('\r\u001b[K');
            if (this.jsonEnabled()) return;
            if (!headerShown) this.log(row(COLUMNS.map(([header]) => header)));
            headerShown = true;
            this.log(row(COLUMNS.map(([, , cell]) => cell(m))));
          },
        },
      ],
    });
    if (!this.jsonEnabled()) {
      this.log(
        `${result.arch} on ${result.dataset}: test accuracy ${percent(result.testAccuracy)} (top-5 ${percent(result.testTop5)}), test loss ${result.testLoss.toFixed(4)}, ${formatCount(Math.round(result.imagesPerSecond))} img/s on ${result.backend}; saved to ${result.out}`,
      );
    }
    const { arch, dataset, epochs, testAccuracy, testLoss, imagesPerSecond, backend, out } = result;
    return { arch, dataset, epochs, testAccuracy, testLoss, imagesPerSecond, backend, out };
  }
}
