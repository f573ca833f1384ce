import type { InspectionName, InspectOptions } from '@convkit/inspect';
import { kinds } from '@convkit/train';
import { numberFlag } from '../../flags.js';
import { InspectCommand, type InspectJson, inspectFlags } from '../../inspect-command.js';

/** `convkit inspect gradient-flow`: the loss gradient's norm through the depth of a network. */
export default class InspectGradientFlow extends InspectCommand<typeof InspectGradientFlow> {
  static override summary =
    'Measure the norm of the loss gradient at every layer with weights, at initialisation and (for --model) after training';
  static override description =
    'One batch of labelled test images, in training mode. Compare a plain deep network with its residual twin, e.g. --arch resnet56 against --arch resnet56 --arch-options \'{"shortcut":"none"}\'.';
  static override examples = [
    '<%= config.bin %> inspect gradient-flow --arch resnet56 --out /tmp/resnet56',
    '<%= config.bin %> inspect gradient-flow --model runs/fmnist --out runs/fmnist/inspect',
  ];
  static override flags = {
    ...inspectFlags,
    images: numberFlag({ description: 'images in the batch', kind: kinds.positiveInteger(), default: 32 }),
  };
  protected readonly inspection: InspectionName = 'gradient-flow';

  protected override extraOptions(): Partial<InspectOptions> {
    return { count: this.flags.images };
  }

  protected headline(result: InspectJson): string[] {
    const d = result.data as {
      runs: Record<string, { loss: number; firstToLast: number; layers: { layer: string; weightGradientNorm: number }[] }>;
    };
    return Object.entries(d.runs).map(([name, flow]) => {
      const first = flow.layers[0]!;
      const last = flow.layers.at(-1)!;
      return `${name}: loss ${flow.loss.toFixed(3)}, ||dL/dW|| ${first.weightGradientNorm.toExponential(2)} at ${first.layer} vs ${last.weightGradientNorm.toExponential(2)} at ${last.layer} (ratio ${flow.firstToLast.toExponential(2)})`;
    });
  }
}
