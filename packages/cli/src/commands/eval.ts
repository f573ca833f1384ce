import { ConvkitError, parseBackendPreference } from '@convkit/core';
import { confusionMatrixSvg, type EvaluateResult, evaluate, kinds, writePicture } from '@convkit/train';
import { Flags } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { numberFlag } from '../flags.js';
import { formatCount, renderTable } from '../format.js';

const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

/** `convkit eval`: loss, top-1, top-5, per-class precision/recall and confusion matrix of a trained model on a test set. */
export default class Eval extends ConvkitCommand<typeof Eval> {
  static override summary = 'Evaluate a trained model: loss, top-1, top-5, per-class precision and recall, confusion matrix';
  static override description =
    "Scores the test split of the dataset the model was trained on (or of --data), normalized with the training statistics stored beside the model. Class names that differ from the model's are warned about on stderr. --plot writes the confusion matrix as a picture (SVG, and a PNG beside it).";
  static override examples = [
    '<%= config.bin %> eval --model runs/lenet5-shapes',
    '<%= config.bin %> eval --model runs/fmnist --data /usr/share/datasets/fashion-mnist --json',
    '<%= config.bin %> eval --model runs/fmnist --plot runs/fmnist/eval-confusion.svg',
  ];
  static override flags = {
    model: Flags.string({ description: 'output folder of `convkit train` (or its model/ subfolder)', required: true }),
    data: Flags.string({ description: 'dataset name or folder whose test split to use (default: the one trained on)' }),
    'batch-size': numberFlag({ description: 'images per inference batch', kind: kinds.positiveInteger(), default: 256 }),
    plot: Flags.string({ description: 'write the confusion matrix picture to this .svg file (and a .png beside it)' }),
  };

  async run(): Promise<EvaluateResult> {
    const { registry } = await this.registry();
    if (this.flags.plot !== undefined && !this.flags.plot.endsWith('.svg')) {
      throw new ConvkitError(
        'bad-option',
        `--plot ${this.flags.plot} is not an .svg file; name one like confusion.svg (the PNG goes beside it)`,
      );
    }
    const result = await evaluate({
      registry,
      ...(this.flags.backend === undefined ? {} : { backend: parseBackendPreference(this.flags.backend) }),
      onBackend: this.reportBackend,
      onWarning: this.reportWarning,
      model: this.flags.model,
      batchSize: this.flags['batch-size'],
      ...(this.flags.data === undefined ? {} : { data: this.flags.data }),
    });
    if (this.flags.plot !== undefined) {
      await writePicture(
        this.flags.plot,
        confusionMatrixSvg(result.confusion, result.classNames, `${result.arch} on ${result.dataset} (test set)`),
      );
    }
    if (!this.jsonEnabled()) {
      this.log(`${result.arch} on ${result.dataset} test set (${formatCount(result.count)} images)`);
      this.log(`loss ${result.loss.toFixed(4)}  top-1 ${(100 * result.top1).toFixed(2)}%  top-5 ${(100 * result.top5).toFixed(2)}%`);
      this.log('');
      const indices = result.classNames.map((_, i) => i);
      this.log(
        renderTable(indices, [
          { header: 'label', value: (i) => String(i), align: 'right' },
          { header: 'class', value: (i) => result.classNames[i] ?? String(i) },
          { header: 'precision', value: (i) => percent(result.perClass[i]?.precision ?? 0), align: 'right' },
          { header: 'recall', value: (i) => percent(result.perClass[i]?.recall ?? 0), align: 'right' },
          { header: 'images', value: (i) => formatCount(result.perClass[i]?.support ?? 0), align: 'right' },
        ]),
      );
      this.log('');
      this.log('confusion matrix (rows: true label, columns: predicted label)');
      this.log(
        renderTable(indices, [
          { header: 'true', value: (i) => String(i), align: 'right' },
          ...indices.map((j) => ({
            header: String(j),
            value: (i: number) => String(result.confusion[i]?.[j] ?? 0),
            align: 'right' as const,
          })),
        ]),
      );
      if (this.flags.plot !== undefined) this.log(`\nconfusion matrix picture: ${this.flags.plot} (and .png)`);
    }
    return result;
  }
}
