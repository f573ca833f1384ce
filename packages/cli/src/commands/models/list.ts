import { type ArchitectureFigures, architectureFigures, selectArchitectures } from '@convkit/core';
import { Flags } from '@oclif/core';
import { ConvkitCommand } from '../../base-command.js';
import { formatCount, formatSi, renderTable } from '../../format.js';

/** `convkit models list`: every registered architecture with its parameters and FLOPs. */
export default class ModelsList extends ConvkitCommand<typeof ModelsList> {
  static override summary = 'List every registered architecture with its parameters, MACs and FLOPs';
  static override description =
    "Figures are computed at each architecture's default input; FLOPs = 2 x MACs. Architectures come from convkit's packages and installed plugins.";
  static override examples = [
    '<%= config.bin %> models list',
    '<%= config.bin %> models list --family vgg',
    '<%= config.bin %> models list --tag attention',
    '<%= config.bin %> models list --tag cifar --tag residual',
    '<%= config.bin %> models list --json',
  ];
  static override flags = {
    family: Flags.string({ description: 'only architectures of this family (e.g. vgg, resnet)' }),
    tag: Flags.string({
      description: 'only architectures carrying this tag (e.g. attention, cifar, mobile); repeat it to require several',
      multiple: true,
    }),
  };

  async run(): Promise<ArchitectureFigures[]> {
    const { registry } = await this.registry();
    // a bad --family or --tag is refused before the backend loads and says which it took
    const names = selectArchitectures(registry, { family: this.flags.family, tags: this.flags.tag }).map((entry) => entry.name);
    await this.useBackend();
    const rows = names.map((name) => architectureFigures(registry, name));
    if (!this.jsonEnabled()) {
      this.log(
        renderTable(rows, [
          { header: 'name', value: (r) => r.name },
          { header: 'family', value: (r) => r.family },
          { header: 'tags', value: (r) => r.tags.join(',') },
          { header: 'params', value: (r) => formatCount(r.params), align: 'right' },
          { header: 'MACs', value: (r) => formatSi(r.macs), align: 'right' },
          { header: 'FLOPs', value: (r) => formatSi(r.flops), align: 'right' },
          { header: 'input', value: (r) => r.input.join('x') },
          { header: 'plugin', value: (r) => r.plugin },
        ]),
      );
    }
    return rows;
  }
}
