import type { InspectionName, InspectOptions } from '@convkit/inspect';
import { kinds } from '@convkit/train';
import { Flags } from '@oclif/core';
import { numberFlag } from '../../flags.js';
import { InspectCommand, type InspectJson, inspectFlags } from '../../inspect-command.js';

/** `convkit inspect gradcam`: where in an image the evidence for a class is. */
export default class InspectGradCam extends InspectCommand<typeof InspectGradCam> {
  static override summary = 'Draw the Grad-CAM map (Selvaraju et al. 2017) of an image for a class over the image';
  static override description =
    "Channel weights are the spatially averaged gradients of the class logit at the layer (default the last map larger than 1x1); the map is their ReLU'd weighted sum, placed on the image by each position's receptive-field centre.";
  static override examples = [
    '<%= config.bin %> inspect gradcam --model runs/fmnist --image shirt.png --out runs/fmnist/inspect',
    '<%= config.bin %> inspect gradcam --model runs/fmnist --layer s2 --class 3 --out /tmp/cam',
  ];
  static override flags = {
    ...inspectFlags,
    image: Flags.string({ description: 'PNG or JPEG image (default the first test image)' }),
    class: numberFlag({ description: 'class index to explain (default the predicted class)', kind: kinds.nonNegativeInteger() }),
  };
  protected readonly inspection: InspectionName = 'gradcam';

  protected override extraOptions(): Partial<InspectOptions> {
    return {
      ...(this.flags.image === undefined ? {} : { images: [this.flags.image] }),
      ...(this.flags.class === undefined ? {} : { classIndex: this.flags.class }),
    };
  }

  protected headline(result: InspectJson): string[] {
    const d = result.data as { image: string; className: string; predictedName: string; score: number; label?: string };
    return [
      `${d.image}: class ${d.className} (logit ${d.score.toFixed(2)}), predicted ${d.predictedName}${d.label ? `, labelled ${d.label}` : ''}`,
    ];
  }
}
