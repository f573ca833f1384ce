import { EXPORT_FORMATS, type ExportModelResult, exportModel } from '@convkit/interop';
import { Flags } from '@oclif/core';
import { ConvkitCommand } from '../base-command.js';
import { formatCount } from '../format.js';

/** `convkit export`: a saved model as ONNX or as a compact (float16 / uint8 weights) tfjs model. */
export default class Export extends ConvkitCommand<typeof Export> {
  static override summary = 'Export a saved model to ONNX, or to a tfjs model with float16 or uint8 weights';
  static override description =
    "onnx writes an ONNX file (opset 17, NCHW input unless --layout nhwc, dynamic batch) for ONNX Runtime on servers, mobile and the web. tfjs-float16 and tfjs-uint8 write a tfjs model folder whose weights take half or a quarter of the bytes (plain tfjs decodes them to float32 on load; the training metadata is copied, so `convkit eval` and `predict` work on it) and report how far its outputs move from the original's.";
  static override examples = [
    '<%= config.bin %> export --model runs/fmnist --format onnx --out fmnist.onnx',
    '<%= config.bin %> export --model models/vgg16-bn --format onnx --layout nhwc --out vgg16-bn-nhwc.onnx',
    '<%= config.bin %> export --model models/resnet18 --format onnx --fold-batch-norm --out resnet18.onnx',
    '<%= config.bin %> export --model runs/fmnist --format tfjs-uint8 --out runs/fmnist-uint8',
    '<%= config.bin %> export --model runs/fmnist --format tfjs-float16 --out web/model --json',
  ];
  static override flags = {
    model: Flags.string({
      description: 'saved model folder (`convkit train --out`, its model/, or `convkit import --out`)',
      required: true,
    }),
    format: Flags.string({ description: 'what to write', options: [...EXPORT_FORMATS], required: true }),
    out: Flags.string({ description: 'output: a .onnx file for onnx, a folder for the tfjs formats', required: true }),
    layout: Flags.string({ description: 'onnx: image layout of the input and 4-D outputs', options: ['nchw', 'nhwc'], default: 'nchw' }),
    'fold-batch-norm': Flags.boolean({
      description: 'onnx: fold each batch norm into the convolution before it (fewer nodes; the outputs stay within float rounding)',
      default: false,
    }),
  };

  async run(): Promise<ExportModelResult> {
    await this.registry();
    await this.useBackend();
    const result = await exportModel({
      model: this.flags.model,
      format: this.flags.format as ExportModelResult['format'],
      out: this.flags.out,
      layout: this.flags.layout as 'nchw' | 'nhwc',
      foldBatchNorm: this.flags['fold-batch-norm'],
    });
    if (!this.jsonEnabled()) {
      const size = `${formatCount(result.exportedBytes)} bytes (float32 weights: ${formatCount(result.sourceBytes)})`;
      const moved =
        result.outputDifference === undefined
          ? ''
          : `; outputs within ${result.outputDifference.toExponential(2)} of the original's (relative, random inputs)`;
      this.log(`wrote ${result.out}: ${size}${moved}`);
    }
    return result;
  }
}
