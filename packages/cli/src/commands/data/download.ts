import { DATASET_SOURCES, type DownloadResult, downloadDataset } from '@convkit/train';
import { Args, Flags } from '@oclif/core';
import { ConvkitCommand } from '../../base-command.js';

// Datasets convkit makes rather than downloads; named so that every dataset `--data` takes is accepted here.
const GENERATED = ['shapes'];

/** `convkit data download NAME`: fetches official dataset files and verifies their published checksums. */
export default class DataDownload extends ConvkitCommand<typeof DataDownload> {
  static override summary = 'Download a dataset from its official source and verify the published MD5 checksums';
  static override description =
    "Files already present with the right checksum are kept. A failed download names each URL tried, the network's reason, and the folder to copy the files into by hand. shapes is generated from a seed and needs no download.";
  static override examples = [
    '<%= config.bin %> data download fashion-mnist --out data/fashion-mnist',
    '<%= config.bin %> data download cifar10 --out data',
  ];
  static override args = {
    name: Args.string({ description: 'dataset to download', required: true, options: [...Object.keys(DATASET_SOURCES), ...GENERATED] }),
  };
  static override flags = {
    out: Flags.string({ description: 'folder to download into (default: where --data NAME looks, data/NAME; data for cifar10/cifar100)' }),
  };

  async run(): Promise<DownloadResult | { dataset: string; generated: true }> {
    if (GENERATED.includes(this.args.name)) {
      if (!this.jsonEnabled())
        this.log(`${this.args.name} is generated from the seed, nothing to download; train on it with --data ${this.args.name}`);
      return { dataset: this.args.name, generated: true };
    }
    const name = this.args.name as keyof typeof DATASET_SOURCES;
    const out = this.flags.out ?? DATASET_SOURCES[name].defaultOut;
    if (!this.jsonEnabled()) this.logToStderr(`downloading ${name} into ${out}`);
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
