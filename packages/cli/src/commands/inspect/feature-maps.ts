import type { InspectionName, InspectOptions } from '@convkit/inspect';
import { Flags } from '@oclif/core';
import { InspectCommand, type InspectJson, inspectFlags } from '../../inspect-command.js';

/** `convkit inspect feature-maps`: one layer's output channels for one image. */
export default class InspectFeatureMaps extends InspectCommand<typeof InspectFeatureMaps> {
  static override summary = "Draw one layer's feature maps for an image (default the first convolution, the first test image)";
  static override description =
    "Without --image, the first test image of the model's dataset (or a `shapes` image at the architecture's input size). Each channel is min-max scaled to grey.";
  static override examples = [
    '<%= config.bin %> inspect feature-maps --model runs/fmnist --out runs/fmnist/inspect',
    '<%= config.bin %> inspect feature-maps --model runs/fmnist --layer c3 --image shirt.png --out /tmp/maps',
  ];
  static override flags = { ...inspectFlags, image: Flags.string({ description: 'PNG or JPEG image to run the model on' }) };
  protected readonly inspection: InspectionName = 'feature-maps';

  protected override extraOptions(): Partial<InspectOptions> {
    return this.flags.image === undefined ? {} : { images: [this.flags.image] };
  }

  protected headline(result: InspectJson): string[] {
    const data = result.data as { image: string; shape: number[]; channels: { zeroFraction: number }[] };
    const dead = data.channels.filter((c) => c.zeroFraction === 1).length;
    return [`${data.shape.join('x')} maps of ${data.image}; ${dead} of ${data.channels.length} channels all zero`];
  }
}
