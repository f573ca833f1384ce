import { parseBackendPreference } from '@convkit/core';
import { kinds, type PredictResult, predict } from '@convkit/train';
import { Args, Flags } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { numberFlag } from '../flags.js';

/** `convkit predict --model DIR IMAGE|FOLDER...`: the top classes of image files with a trained model. */
export default class Predict extends ConvkitCommand<typeof Predict> {
  static override summary = 'Classify image files with a trained model: the top classes with their probabilities';
  static override description =
    "Decodes PNG/JPEG files (folders are searched recursively), resizes them to the model's input as training did (bilinear; grey for a one-channel model, said once on stderr), normalizes them with the statistics stored beside the model, and prints the most probable classes of each.";
  static override examples = [
    '<%= config.bin %> predict --model runs/lenet5-shapes image.png',
    '<%= config.bin %> predict --model runs/fmnist photos/ --top 3',
    '<%= config.bin %> predict --model runs/fmnist shirt.jpg --json',
  ];
  static override strict = false;
  static override args = { images: Args.string({ description: 'image files (PNG, JPEG) or folders of them', required: true }) };
  static override flags = {
    model: Flags.string({ description: 'output folder of `convkit train` (or its model/ subfolder)', required: true }),
    top: numberFlag({ description: 'classes to show per image', kind: kinds.positiveInteger(), default: 5 }),
    'batch-size': numberFlag({ description: 'images per inference batch', kind: kinds.positiveInteger(), default: 256 }),
  };

  async run(): Promise<PredictResult> {
    const { registry } = await this.registry();
    const { argv } = await this.parse(Predict);
    const result = await predict({
      registry,
      ...(this.flags.backend === undefined ? {} : { backend: parseBackendPreference(this.flags.backend) }),
      onBackend: this.reportBackend,
      onWarning: this.reportWarning,
      model: this.flags.model,
      images: argv as string[],
      top: this.flags.top,
      batchSize: this.flags['batch-size'],
    });
    if (!this.jsonEnabled()) {
      for (const { file, top } of result.predictions) {
        this.log(`${file}: ${top.map((c) => `${c.className} ${(100 * c.probability).toFixed(1)}%`).join(', ')}`);
      }
    }
    return result;
  }
}
