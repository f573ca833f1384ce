import { parseBackendPreference } from '@convkit/core';
import { type EvaluateResult, evaluate } from '@convkit/train';
import { Flags } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { formatCount, renderTable } from '../format.js';

/** `convkit eval`: loss, top-1, top-5 and confusion matrix of a trained model on a test set. */
export default class Eval extends ConvkitCommand<typeof Eval> {
  static override summary = 'Evaluate a trained model: loss, top-1, top-5 and a confusion matrix';
  static override examples = [
    '<%= config.bin %> eval --model runs/lenet5-shapes',
    '<%= config.bin %> eval --model runs/fmnist --data /usr/share/datasets/fashion-mnist --json',
  ];
  static override flags = {
    model: Flags.string({ description: 'output folder of `convkit train` (or its model/ subfolder)', required: true }),
    data: Flags.string({ description: 'dataset name or folder whose test split to use (default: the one trained on)' }),
    'batch-size': Flags.integer({ description: 'images per inference batch', default: 256 }),
  };

  async run(): Promise<EvaluateResult> {
    const { registry } = await this.registry();
    const result = await evaluate({
      registry,
      ...(this.flags.backend === undefined ? {} : { backend: parseBackendPreference(this.flags.backend) }),
      onBackend: this.reportBackend,
      model: this.flags.model,
      batchSize: this.flags['batch-size'],
      ...(this.flags.data === undefined ? {} : { data: this.flags.data }),
    });
    if (!this.jsonEnabled()) {
      this.log(`${result.arch} on ${result.dataset} test set (${formatCount(result.count)} images)`);
      this.log(`loss ${result.loss.toFixed(4)}  top-1 ${(100 * result.top1).toFixed(2)}%  top-5 ${(100 * result.top5).toFixed(2)}%`);
      this.log('confusion matrix (rows: true class, columns: predicted)');
      const indices = result.classNames.map((_, i) => i);
      this.log(
        renderTable(indices, [
          { header: 'true \\ predicted', value: (i) => result.classNames[i] ?? String(i) },
          ...indices.map((j) => ({
            header: String(j),
            value: (i: number) => String(result.confusion[i]?.[j] ?? 0),
            align: 'right' as const,
          })),
        ]),
      );
    }
    return result;
  }
}
