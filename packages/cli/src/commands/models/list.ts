import { type ArchitectureFigures, architectureFigures } from '@convkit/core';
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
    '<%= config.bin %> models list --json',
  ];
  static override flags = {
    family: Flags.string({ description: 'only architectures of this family (e.g. vgg, resnet)' }),
  };

  async run(): Promise<ArchitectureFigures[]> {
    const { registry } = await this.registry();
    await this.useBackend();
    const names = registry.architectures
      .list()
      .filter((entry) => !this.flags.family || entry.value.family === this.flags.family)
      .map((entry) => entry.name);
    const rows = names.map((name) => architectureFigures(registry, name));
    if (!this.jsonEnabled()) {
      this.log(
        renderTable(rows, [
          { header: 'name', value: (r) => r.name },
          { header: 'family', value: (r) => r.family },
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
