import { type AttentionCosts, attentionCosts } from '@convkit/attention';
import { type ArchitectureOptionDoc, describeArchitectureOptions, type ModelSummary, summarizeArchitecture } from '@convkit/core';
import { Args, Flags } from '@oclif/core';
import { ConvkitCommand } from '../../base-command.js';
import { formatCount, formatSi, renderTable } from '../../format.js';
import { parseInputShape } from '../../parse-input.js';
import { parseJsonObject } from '../../parse-json-object.js';

/** What `convkit models summary --json` prints: the per-layer summary, the attention modules' costs and the architecture's options. */
export type SummaryJson = ModelSummary & { attention: AttentionCosts; options: ArchitectureOptionDoc[] };

const percent = (fraction: number) => `${(100 * fraction).toPrecision(2)}%`;

const shown = (value: unknown) => (value === undefined ? '-' : JSON.stringify(value));

/** `convkit models summary NAME`: the per-layer table of one architecture. */
export default class ModelsSummary extends ConvkitCommand<typeof ModelsSummary> {
  static override summary =
    "Per-layer table of an architecture (output shape, params, MACs, receptive field), its attention modules' own costs and its options";
  static override description =
    'Lists the options the architecture accepts with their defaults (from its schema); --arch-options summarizes the model those options build, as `convkit train --arch-options` would.';
  static override examples = [
    '<%= config.bin %> models summary lenet5',
    '<%= config.bin %> models summary vgg16 --input 64x64x3',
    '<%= config.bin %> models summary lenet5 --json',
    '<%= config.bin %> models summary se-resnet20',
    '<%= config.bin %> models summary lenet5 --arch-options \'{"activation":"relu"}\'',
  ];
  static override args = { name: Args.string({ description: 'architecture name (see `convkit models list`)', required: true }) };
  static override flags = {
    input: Flags.string({ description: "input size as HxWxC (default: the architecture's)" }),
    'arch-options': Flags.string({ description: 'architecture options as JSON, e.g. \'{"activation":"relu"}\'' }),
  };

  async run(): Promise<SummaryJson> {
    const { registry } = await this.registry();
    // An unknown name or bad options fail here, before the backend line, so the error is the only line printed.
    const spec = registry.get(this.args.name).value;
    const options = {
      ...(this.flags['arch-options'] === undefined ? {} : parseJsonObject('arch-options', this.flags['arch-options'])),
      ...(this.flags.input ? { inputShape: parseInputShape(this.flags.input) } : {}),
    };
    registry.resolveOptions(spec, options);
    await this.useBackend();
    const summary = summarizeArchitecture(registry, this.args.name, options);
    const attention = attentionCosts(summary);
    const optionDocs = describeArchitectureOptions(spec);
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
      if (attention.modules.length > 0) {
        this.log(`\nattention modules of ${this.args.name}`);
        this.log(
          renderTable(attention.modules, [
            { header: 'module', value: (m) => m.module },
            { header: 'kind', value: (m) => m.kind },
            { header: 'params', value: (m) => formatCount(m.params), align: 'right' },
            { header: 'MACs', value: (m) => formatSi(m.macs), align: 'right' },
          ]),
        );
        const { trainableParams, macs } = attention;
        this.log(
          `${attention.modules.length} modules: trainable params ${formatCount(trainableParams.total)} (${percent(trainableParams.share)} of the network, +${percent(trainableParams.added)} over it without them), MACs ${formatSi(macs.total)} (${percent(macs.share)}, +${percent(macs.added)})`,
        );
      }
      this.log(
        `\noptions of ${this.args.name} (set with --arch-options; numClasses and inputShape come from the data in \`convkit train\`)`,
      );
      this.log(
        renderTable(optionDocs, [
          { header: 'option', value: (o) => o.name },
          { header: 'type', value: (o) => o.type },
          { header: 'default', value: (o) => (o.required ? 'required' : shown(o.default)) },
          { header: 'description', value: (o) => o.description ?? '' },
        ]),
      );
    }
    return { ...summary, attention, options: optionDocs };
  }
}
