import type { InspectionName, InspectOptions } from '@convkit/inspect';
import { kinds } from '@convkit/train';
import { numberFlag } from '../../flags.js';
import { InspectCommand, type InspectJson, inspectFlags } from '../../inspect-command.js';

/** `convkit inspect erf`: effective against theoretical receptive field. */
export default class InspectErf extends InspectCommand<typeof InspectErf> {
  static override summary = "Measure a layer's effective receptive field (Luo et al. 2016) and draw it against the theoretical one";
  static override description =
    'The gradient of the centre unit of the layer (default the last spatial one) with respect to the input, averaged in absolute value over random inputs. The picture outlines its support (green) and the theoretical receptive field (cyan).';
  static override examples = [
    '<%= config.bin %> inspect erf --arch resnet20 --out /tmp/resnet20',
    '<%= config.bin %> inspect erf --model runs/fmnist --layer c3 --out runs/fmnist/inspect',
  ];
  static override flags = {
    ...inspectFlags,
    images: numberFlag({ description: 'random inputs to average over', kind: kinds.positiveInteger(), default: 8 }),
  };
  protected readonly inspection: InspectionName = 'erf';

  protected override extraOptions(): Partial<InspectOptions> {
    return { count: this.flags.images };
  }

  protected headline(result: InspectJson): string[] {
    const d = result.data as { theoretical: number[]; supportSize: number[]; effectiveSide: number; massFraction: number; input: number[] };
    return [
      `theoretical receptive field ${d.theoretical.join('x')} (input ${d.input.join('x')}); gradient support ${d.supportSize.join('x')}`,
      `${Math.round(100 * d.massFraction)}% of the gradient mass on ${d.effectiveSide.toFixed(1)}^2 pixels`,
    ];
  }
}
