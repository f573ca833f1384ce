import type { InspectionName, InspectOptions } from '@convkit/inspect';
import { kinds } from '@convkit/train';
import { Flags } from '@oclif/core';
import { numberFlag } from '../../flags.js';
import { InspectCommand, type InspectJson, inspectFlags } from '../../inspect-command.js';
import { parsePixelPair } from '../../parse-pixel-pair.js';

/** `convkit inspect equivariance`: translation equivariance and invariance over depth. */
export default class InspectEquivariance extends InspectCommand<typeof InspectEquivariance> {
  static override summary = 'Measure translation equivariance and invariance of every layer for one input shift, as a curve over depth';
  static override description =
    "Shifts the images circularly by --shift and compares each layer's output with its unshifted output shifted back in the layer's own grid (equivariance) and unshifted (invariance). Strided convolutions and pooling are where equivariance breaks (Zhang 2019).";
  static override examples = [
    '<%= config.bin %> inspect equivariance --model runs/fmnist --out runs/fmnist/inspect',
    '<%= config.bin %> inspect equivariance --arch resnet20 --shift 2,2 --out /tmp/resnet20',
  ];
  static override flags = {
    ...inspectFlags,
    shift: Flags.string({ description: 'input shift as rows,columns', default: '1,1' }),
    images: numberFlag({ description: 'test images to average over', kind: kinds.positiveInteger(), default: 8 }),
  };
  protected readonly inspection: InspectionName = 'equivariance';

  protected override extraOptions(): Partial<InspectOptions> {
    return { shift: parsePixelPair('shift', this.flags.shift), count: this.flags.images };
  }

  protected headline(result: InspectJson): string[] {
    const d = result.data as { consistency: number; layers: { layer: string; equivarianceError?: number; invarianceError: number }[] };
    const last = d.layers.at(-1);
    const worst = d.layers.filter((l) => l.equivarianceError !== undefined).sort((a, b) => b.equivarianceError! - a.equivarianceError!)[0];
    return [
      ...(worst ? [`largest equivariance error ${worst.equivarianceError!.toFixed(3)} at ${worst.layer}`] : []),
      ...(last
        ? [
            `output changes by ${last.invarianceError.toFixed(3)} (relative); top class kept for ${(100 * d.consistency).toFixed(0)}% of images`,
          ]
        : []),
    ];
  }
}
