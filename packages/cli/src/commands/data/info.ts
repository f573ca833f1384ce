import { type DatasetInfo, datasetInfo, kinds } from '@convkit/train';
import { Args } from '@oclif/core';
import { ConvkitCommand } from '../../base-command.js';
import { numberFlag } from '../../flags.js';
import { formatCount, renderTable } from '../../format.js';

/** `convkit data info NAME|PATH`: sizes, classes, class balance and normalization statistics of a dataset. */
export default class DataInfo extends ConvkitCommand<typeof DataInfo> {
  static override summary =
    'Describe a dataset: where it is read from, image shape, classes, split sizes, class balance, normalization statistics';
  static override examples = ['<%= config.bin %> data info shapes', '<%= config.bin %> data info /usr/share/datasets/fashion-mnist --json'];
  static override args = { data: Args.string({ description: 'dataset name or folder', required: true }) };
  static override flags = {
    seed: numberFlag({ description: 'seed for generated datasets', kind: kinds.nonNegativeInteger(), default: 0 }),
  };

  async run(): Promise<DatasetInfo> {
    const { registry } = await this.registry();
    const info = await datasetInfo(this.args.data, { registry, seed: this.flags.seed });
    if (!this.jsonEnabled()) {
      const stats = (values: number[]) => values.map((v) => v.toFixed(4)).join(', ');
      this.log(`${info.name}: ${info.shape.join('x')} images, ${info.classNames.length} classes; source: ${info.source}`);
      this.log(`train ${formatCount(info.train.count)}, test ${formatCount(info.test.count)}`);
      this.log(`mean [${stats(info.normalization.mean)}], std [${stats(info.normalization.std)}]`);
      this.log(
        renderTable(
          info.classNames.map((name, i) => ({ i, name })),
          [
            { header: 'label', value: (r) => String(r.i), align: 'right' },
            { header: 'class', value: (r) => r.name },
            { header: 'train', value: (r) => String(info.train.perClass[r.i] ?? 0), align: 'right' },
            { header: 'test', value: (r) => String(info.test.perClass[r.i] ?? 0), align: 'right' },
          ],
        ),
      );
    }
    return info;
  }
}
