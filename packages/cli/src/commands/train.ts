import { parseBackendPreference } from '@convkit/core';
import { DEFAULT_DATA, type EpochMetrics, type RunStart, type TrainResult, train } from '@convkit/train';
import { Flags, ux } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { trainOptionFlags, trainOptionsFromFlags } from '../flags.js';
import { formatCount } from '../format.js';
import { parseJsonObject } from '../parse-json-object.js';
import { TrainingBars } from '../progress-bars.js';

/** What `convkit train --json` prints: one line with these keys. */
export type TrainJson = Pick<
  TrainResult,
  'arch' | 'dataset' | 'epochs' | 'testAccuracy' | 'testLoss' | 'imagesPerSecond' | 'backend' | 'engine' | 'out'
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
  static override summary = 'Train a registered architecture on a dataset, with checkpoints, metrics and plots';
  static override description =
    'Writes into --out: epoch checkpoints (the newest --keep-checkpoints, and the best by validation loss), metrics.jsonl (one line per step and per epoch), training-curve.svg/.png, the final model (model/: the last epoch, or the best with --final-model best), confusion-matrix.svg/.png of the test set and summary.json; with --ema also model-ema/, the moving average of the weights, tested beside the raw model. --init DIR starts from the weights of a `convkit train` or `convkit import` folder (its architecture unless --arch is given), re-heading the classifier to the classes of --data. A killed or interrupted run continues with --resume: architecture, data and options come from its checkpoint, an option that would change the run is refused, and --epochs may grow under a constant learning rate. --data is a dataset name (shapes, fashion-mnist, mnist, cifar10, cifar100) or a folder of IDX files, CIFAR binaries or one subfolder of images per class.';
  static override examples = [
    '<%= config.bin %> train --arch lenet5 --data shapes --epochs 3',
    '<%= config.bin %> train --arch lenet5 --data fashion-mnist --epochs 10 --out runs/fmnist',
    '<%= config.bin %> train --out runs/fmnist --resume',
    '<%= config.bin %> train --arch lenet5 --data ./my-images --augment crop:4,flip --optimizer nesterov --lr 0.05 --schedule cosine',
    '<%= config.bin %> train --arch lenet5 --arch-options \'{"activation":"relu","pooling":"max"}\' --data fashion-mnist',
    '<%= config.bin %> train --init runs/resnet18-imported --data ./my-images --epochs 1 --lr 0.001',
    '<%= config.bin %> train --arch lenet5 --data fashion-mnist --teacher runs/resnet20-fashion-mnist --kd-temperature 4 --kd-alpha 0.1',
    '<%= config.bin %> train --arch resnet20 --data fashion-mnist --optimizer sgd --progressive-resize 16:0,24:3,32:6 --epochs 8',
  ];
  static override flags = {
    arch: Flags.string({
      description: "architecture name (see `convkit models list`); a resume takes the checkpoint's, --init its folder's",
    }),
    'arch-options': Flags.string({
      description: 'architecture options as JSON, e.g. \'{"auxLogits":true}\' (`convkit models summary NAME` lists them)',
    }),
    data: Flags.string({ description: `dataset name or folder (default ${DEFAULT_DATA}; a resume takes the checkpoint's)` }),
    ...trainOptionFlags(),
    out: Flags.string({ description: 'output folder (default runs/ARCH-DATASET)' }),
    resume: Flags.boolean({ description: 'continue the run checkpointed in --out', default: false }),
    overwrite: Flags.boolean({ description: 'replace a run already in --out (its checkpoints, model and reports)', default: false }),
  };

  // The final result is one line, so scripts can read the last line of stdout.
  protected override logJson(json: unknown): void {
    ux.stdout(JSON.stringify(json));
  }

  async run(): Promise<TrainJson> {
    const f = this.flags;
    const { registry } = await this.registry();
    const bars = !this.jsonEnabled() && process.stderr.isTTY ? new TrainingBars() : undefined;
    let headerShown = false;
    let started: RunStart | undefined;
    let checkpointed = 0;
    // Ctrl-C keeps the last checkpoint (written atomically) and says how to go on from it.
    const interrupt = () => {
      bars?.clear();
      const where = started ? ` --out ${started.out}` : '';
      process.stderr.write(
        `\nconvkit: interrupted; ${checkpointed > 0 ? `epoch ${checkpointed} is checkpointed` : 'no epoch was checkpointed yet'}. Continue with: ${this.config.bin} train${where} --resume\n`,
      );
      process.exit(130);
    };
    process.once('SIGINT', interrupt);
    try {
      const result = await train({
        registry,
        // train() activates the backend itself, after validating everything, so bad input stays one line.
        ...(f.backend === undefined ? {} : { backend: parseBackendPreference(f.backend) }),
        onBackend: this.reportBackend,
        onWarning: this.reportWarning,
        onStart: (start) => {
          started = start;
          checkpointed = start.epoch;
          if (start.resumed && !this.jsonEnabled())
            this.logToStderr(`resuming ${start.out} at epoch ${start.epoch + 1} of ${start.epochs}`);
          if (start.init && !this.jsonEnabled()) {
            const { from, loaded, reheaded } = start.init;
            const heads = reheaded.length > 0 ? `; re-headed ${reheaded.join(', ')} for the data's classes` : '';
            this.logToStderr(`starting from ${from}: ${loaded} weights loaded${heads}`);
          }
        },
        ...(f.arch === undefined ? {} : { arch: f.arch }),
        ...(f['arch-options'] === undefined ? {} : { archOptions: parseJsonObject('arch-options', f['arch-options']) }),
        ...(f.data === undefined ? {} : { data: f.data }),
        ...trainOptionsFromFlags(f),
        ...(f.out === undefined ? {} : { out: f.out }),
        resume: f.resume,
        overwrite: f.overwrite,
        ...(bars ? { onProgress: (p) => bars.update(p) } : {}),
        callbacks: [
          {
            onEpochEnd: (m) => {
              checkpointed = m.epoch;
              bars?.clear();
              if (this.jsonEnabled()) return;
              if (!headerShown) this.log(row(COLUMNS.map(([header]) => header)));
              headerShown = true;
              this.log(row(COLUMNS.map(([, , cell]) => cell(m))));
            },
          },
        ],
      });
      if (!this.jsonEnabled()) {
        const model = result.modelEpoch === result.epochs ? '' : ` (model/ is epoch ${result.modelEpoch}, the best)`;
        this.log(
          `${result.arch} on ${result.dataset}: test accuracy ${percent(result.testAccuracy)} (top-5 ${percent(result.testTop5)}), test loss ${result.testLoss.toFixed(4)}, ${formatCount(Math.round(result.imagesPerSecond))} img/s on ${result.backend} (${result.engine} engine${result.precision === 'fp32' ? '' : `, ${result.precision}`}); saved to ${result.out}${model}`,
        );
        if (result.ema)
          this.log(
            `EMA weights: test accuracy ${percent(result.ema.testAccuracy)} (top-5 ${percent(result.ema.testTop5)}), test loss ${result.ema.testLoss.toFixed(4)}; saved to ${result.ema.out}`,
          );
      }
      const { arch, dataset, epochs, testAccuracy, testLoss, imagesPerSecond, backend, engine, out } = result;
      return { arch, dataset, epochs, testAccuracy, testLoss, imagesPerSecond, backend, engine, out };
    } finally {
      bars?.clear();
      process.removeListener('SIGINT', interrupt);
    }
  }
}
