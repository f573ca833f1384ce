import { type ModelSummary, summarizeArchitecture } from '@convkit/core';
import { Args, Flags } from '@oclif/core';
import { ConvkitCommand } from '../../base-command.js';
import { formatCount, formatSi, renderTable } from '../../format.js';
import { parseInputShape } from '../../parse-input.js';

/** `convkit models summary NAME`: the per-layer table of one architecture. */
export default class ModelsSummary extends ConvkitCommand<typeof ModelsSummary> {
  static override summary = 'Per-layer table of an architecture: output shape, params, MACs, receptive field';
  static override examples = [
    '<%= config.bin %> models summary lenet5',
    '<%= config.bin %> models summary vgg16 --input 64x64x3',
    '<%= config.bin %> models summary lenet5 --json',
  ];
  static override args = { name: Args.string({ description: 'architecture name (see `convkit models list`)', required: true }) };
  static override flags = {
    input: Flags.string({ description: "input size as HxWxC (default: the architecture's)" }),
  };

  async run(): Promise<ModelSummary> {
    const { registry } = await this.registry();
    // An unknown name fails here, before the backend line, so the error is the only line printed.
    registry.get(this.args.name);
    await this.useBackend();
    const options = this.flags.input ? { inputShape: parseInputShape(this.flags.input) } : {};
    const summary = summarizeArchitecture(registry, this.args.name, options);
    if (!this.jsonEnabled()) {
      this.log(`${this.args.name} at ${summary.input.join('x')}`);
      this.log(
        renderTable(summary.layers, [
          { header: 'layer', value: (l) => l.name },
          { header: 'type', value: (l) => l.className },
          { header: 'output', value: (l) => l.outputShape.join('x') },
          { header: 'params', value: (l) => formatCount(l.params), align: 'right' },
          { header: 'MACs', value: (l) => (l.estimated ? '~' : '') + formatSi(l.macs), align: 'right' },
          {
            header: 'receptive field',
            value: (l) => (l.receptiveField.global ? 'global' : `${l.receptiveField.height.size}x${l.receptiveField.width.size}`),
          },
        ]),
      );
      const { totals } = summary;
      this.log(
        `total params ${formatCount(totals.params)} (trainable ${formatCount(totals.trainableParams)}), MACs ${formatSi(totals.macs)}, FLOPs ${formatSi(totals.flops)}`,
      );
    }
    return summary;
  }
}
