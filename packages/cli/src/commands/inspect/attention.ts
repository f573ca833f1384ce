import type { InspectionName, InspectOptions, ModuleAttention } from '@convkit/inspect';
import { Flags } from '@oclif/core';
import { InspectCommand, type InspectJson, inspectFlags } from '../../inspect-command.js';
import { parsePixelPair } from '../../parse-pixel-pair.js';

const range = (values: number[]) => `${Math.min(...values).toFixed(3)}-${Math.max(...values).toFixed(3)}`;

/** `convkit inspect attention`: what the SE, CBAM and non-local modules of a model attend to in an image. */
export default class InspectAttention extends InspectCommand<typeof InspectAttention> {
  static override summary = "Draw the attention of a model's SE, CBAM and non-local modules on an image";
  static override description =
    "SE's and CBAM's channel weights (one strip per module), CBAM's spatial gates over the image and each non-local block's pairwise weights f(x_i, x_j)/C(x) for the query pixel i over the image, in inference mode. --layer picks one module by its prefix (stage2.block1.attn, layer3.4.nonlocal).";
  static override examples = [
    '<%= config.bin %> inspect attention --model runs/se-r20 --image shirt.png --out runs/se-r20/inspect',
    '<%= config.bin %> inspect attention --arch cbam-resnet20 --out /tmp/cbam',
    '<%= config.bin %> inspect attention --arch nonlocal-resnet50 --query 100,60 --out /tmp/nl --json',
  ];
  static override flags = {
    ...inspectFlags,
    layer: Flags.string({ description: "only this attention module (its layers' prefix, e.g. stage2.block1.attn)" }),
    image: Flags.string({ description: 'PNG or JPEG image (default the first test image)' }),
    query: Flags.string({ description: 'input pixel (rows,columns) whose non-local attention is drawn (default the centre)' }),
  };
  protected readonly inspection: InspectionName = 'attention';

  protected override extraOptions(): Partial<InspectOptions> {
    return {
      ...(this.flags.image === undefined ? {} : { images: [this.flags.image] }),
      ...(this.flags.query === undefined ? {} : { query: parsePixelPair('query', this.flags.query) }),
    };
  }

  protected headline(result: InspectJson): string[] {
    const { modules } = result.data as { modules: ModuleAttention[] };
    return modules.map((m) => {
      if (m.kind === 'channel') return `${m.module}: ${m.weights.length} channel weights ${range(m.weights)}`;
      const flat = m.map.flat();
      if (m.kind === 'spatial') return `${m.module}: spatial gate ${m.size.join('x')}, ${range(flat)}`;
      return `${m.module}: query pixel ${m.query.pixel.join(',')} (cell ${m.query.cell.join(',')}) over ${m.size.join('x')} keys, peak ${Math.max(...flat).toFixed(3)}`;
    });
  }
}
