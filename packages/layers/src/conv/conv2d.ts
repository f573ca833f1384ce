import type * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable, Shape as TfShape } from '@tensorflow/tfjs-layers';
import { type ConvCost, type FiltersConvArgs, FiltersConvLayer } from '../base/conv-layer.js';
import type { Nhwc } from '../base/convkit-layer.js';
import { type ConvCall, groupedConv2d } from '../base/window-ops.js';

/** Options of {@link Conv2d}. */
export interface Conv2dArgs extends FiltersConvArgs {
  /**
   * Channel groups (PyTorch `groups`): 1 is a standard convolution, `g` splits input and output
   * channels into `g` independent convolutions (AlexNet's two towers, ResNeXt's cardinality), the
   * input channel count is a depthwise convolution. Both channel counts must be divisible by it.
   */
  groups?: number;
}

/**
 * 2-D convolution with PyTorch's geometry: any stride with any dilation (atrous convolution), channel
 * groups, and padding that can be PyTorch's symmetric `p` (exactly, also at stride 2, where TF's
 * `'same'` pads bottom/right more) or any explicit asymmetric `[[top, bottom], [left, right]]`.
 * Kernel `[kh, kw, cin / groups, filters]` (PyTorch's `[filters, cin / groups, kh, kw]` transposed).
 */
export class Conv2d extends FiltersConvLayer {
  /** Serialization name. */
  static className = 'convkit.Conv2d';
  /** The `groups` option, defaults resolved. */
  readonly groups: number;
  private kernel: LayerVariable | undefined;

  constructor(args: Conv2dArgs) {
    super(args);
    this.groups = args.groups ?? 1;
    this.checkPositiveIntegers({ groups: this.groups });
    if (this.filters % this.groups !== 0) {
      throw this.error('bad-option', `filters (${this.filters}) must be divisible by groups (${this.groups})`);
    }
  }

  override build(inputShape: TfShape | TfShape[]): void {
    const shape = this.nhwc(inputShape);
    const channels = shape[3];
    if (channels % this.groups !== 0) {
      throw this.error('bad-groups', `input channels (${channels}) must be divisible by groups (${this.groups})`, shape);
    }
    const [kh, kw] = this.kernelSize;
    const perGroup = channels / this.groups;
    this.kernel = this.addKernel('kernel', [kh, kw, perGroup, this.filters], { fanIn: perGroup * kh * kw, fanOut: this.filters * kh * kw });
    this.addBias(this.filters);
    super.build(inputShape);
  }

  protected convolve(x: tf.Tensor4D, geometry: ConvCall): tf.Tensor4D {
    return groupedConv2d(x, this.kernelValue(this.kernel), this.groups, geometry);
  }

  protected costSteps(input: Nhwc, outChannels: number): [number, number, ConvCost][] {
    return [[input[3], outChannels, { kernelHeight: this.kernelSize[0], kernelWidth: this.kernelSize[1], groups: this.groups }]];
  }

  override getConfig() {
    return { filters: this.filters, groups: this.groups, ...super.getConfig() };
  }
}
