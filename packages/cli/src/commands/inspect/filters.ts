import type { InspectionName } from '@convkit/inspect';
import { InspectCommand, type InspectJson, inspectFlags } from '../../inspect-command.js';

/** `convkit inspect filters`: a convolution's filters as a picture. */
export default class InspectFilters extends InspectCommand<typeof InspectFilters> {
  static override summary = "Draw a convolution's filters (default the first convolution) as a grid of tiles";
  static override description =
    "Three-channel filters are drawn in colour; others as one diverging tile per input channel (blue negative, white zero, red positive). --json adds each filter's sum and norm.";
  static override examples = [
    '<%= config.bin %> inspect filters --model runs/fmnist --out runs/fmnist/inspect',
    '<%= config.bin %> inspect filters --arch resnet20 --layer stem.conv --out /tmp/resnet20',
  ];
  static override flags = inspectFlags;
  protected readonly inspection: InspectionName = 'filters';

  protected headline(result: InspectJson): string[] {
    const data = result.data as { shape: number[] };
    return [`kernel ${data.shape.join('x')} (height x width x in x out)`];
  }
}
