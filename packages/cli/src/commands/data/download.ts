import { DATASET_SOURCES, type DownloadResult, downloadDataset } from '@convkit/train';
import { Args, Flags } from '@oclif/core';
import { ConvkitCommand } from '../../base-command.js';

/** `convkit data download NAME`: fetches official dataset files and verifies their published checksums. */
export default class DataDownload extends ConvkitCommand<typeof DataDownload> {
  static override summary = 'Download a dataset from its official source and verify the published MD5 checksums';
  static override examples = [
    '<%= config.bin %> data download fashion-mnist --out data/fashion-mnist',
    '<%= config.bin %> data download cifar10 --out data',
  ];
  static override args = {
    name: Args.string({ description: 'dataset to download', required: true, options: Object.keys(DATASET_SOURCES) }),
  };
  static override flags = {
    out: Flags.string({ description: 'folder to download into (default: where --data NAME looks, data/NAME; data for cifar10)' }),
  };

  async run(): Promise<DownloadResult> {
    const name = this.args.name as keyof typeof DATASET_SOURCES;
    const out = this.flags.out ?? DATASET_SOURCES[name].defaultOut;
    const result = await downloadDataset(name, {
      out,
      onEvent: (event) => {
        if (!this.jsonEnabled()) this.logToStderr(`${event.file}: ${event.status}${event.url ? ` ${event.url}` : ''}`);
      },
    });
    if (!this.jsonEnabled()) this.log(`${result.dataset} is in ${result.folder}; train on it with --data ${result.folder}`);
    return result;
  }
}
