import { type ImportModelResult, importTorchModel } from '@convkit/interop';
import { Flags } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { formatCount } from '../format.js';
import { parseJsonObject } from '../parse-json-object.js';

const listed = (label: string, names: string[]) => (names.length > 0 ? `${label} (left as initialised): ${names.join(', ')}` : undefined);

/** `convkit import`: a PyTorch state_dict (safetensors) into a registered architecture, saved as a convkit model. */
export default class Import extends ConvkitCommand<typeof Import> {
  static override summary = 'Import PyTorch weights (a state_dict saved as .safetensors) into a registered architecture';
  static override description =
    "Builds --arch in its torchvision form, maps the state_dict onto it by torchvision's module names (transposing kernels to tfjs's layout) and saves the model to --out, which `convkit export`, `convkit train --init` and tfjs load. Every missing, unexpected or mis-shaped tensor is named in one error; --strict false imports what fits (e.g. a head for another class count). Convert a .pt/.pth checkpoint first with the @convkit/interop package's scripts/pt_to_safetensors.py.";
  static override examples = [
    '<%= config.bin %> import --arch vgg16-bn --weights vgg16_bn.safetensors --out models/vgg16-bn',
    '<%= config.bin %> import --arch googlenet-tv --weights googlenet.safetensors --out models/googlenet --json',
    '<%= config.bin %> import --arch alexnet-tv --weights alexnet.safetensors --out models/alexnet10 --arch-options \'{"numClasses":10}\' --strict false',
    'python3 node_modules/@convkit/interop/scripts/pt_to_safetensors.py resnet18.pth resnet18.safetensors',
  ];
  static override flags = {
    arch: Flags.string({ description: 'registered architecture to build (see `convkit models list`)', required: true }),
    weights: Flags.string({ description: 'the PyTorch state_dict as a .safetensors file', required: true }),
    out: Flags.string({ description: 'folder to save the imported model in', required: true }),
    'arch-options': Flags.string({ description: 'architecture options as JSON, e.g. \'{"numClasses":10}\'' }),
    strict: Flags.string({
      description: 'false: import what fits and leave the rest as initialised instead of failing',
      options: ['true', 'false'],
      default: 'true',
    }),
  };

  async run(): Promise<ImportModelResult> {
    const { registry } = await this.registry();
    const archOptions = this.flags['arch-options'] === undefined ? {} : parseJsonObject('arch-options', this.flags['arch-options']);
    // Unknown names and bad options fail before the backend line, so the error is the only line printed.
    registry.resolveOptions(registry.get(this.flags.arch).value, archOptions);
    await this.useBackend();
    const result = await importTorchModel({
      registry,
      arch: this.flags.arch,
      archOptions,
      weights: this.flags.weights,
      out: this.flags.out,
      strict: this.flags.strict === 'true',
    });
    if (!this.jsonEnabled()) {
      this.log(
        `imported ${result.assigned.length} weights (${formatCount(result.params)} parameters) into ${result.arch}, saved to ${result.out}`,
      );
      for (const line of [listed('missing', result.missing), listed('mismatched', result.mismatched)]) if (line) this.reportWarning(line);
      if (result.unexpected.length > 0)
        this.reportWarning(`not imported (no such weight in ${result.arch}): ${result.unexpected.join(', ')}`);
    }
    return result;
  }
}
