import type * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable, Shape as TfShape } from '@tensorflow/tfjs-layers';
import { type ConvArgs, type ConvCost, ConvLayer } from '../base/conv-layer.js';
import type { Nhwc } from '../base/convkit-layer.js';
import { type ConvCall, depthwiseConv2d } from '../base/window-ops.js';

/** Options of {@link DepthwiseConv2d}. */
export interface DepthwiseConv2dArgs extends ConvArgs {
  /** Filters per input channel; default 1. */
  depthMultiplier?: number;
}

/**
 * Depthwise convolution: each input channel convolved with its own `depthMultiplier` filters
 * (PyTorch `Conv2d(c, c * m, k, groups=c)`), with PyTorch's stride/dilation/padding freedom.
 * Kernel `[kh, kw, cin, depthMultiplier]`.
 */
export class DepthwiseConv2d extends ConvLayer {
  /** Serialization name. */
  static className = 'convkit.DepthwiseConv2d';
  /** The `depthMultiplier` option, defaults resolved. */
  readonly depthMultiplier: number;
  private kernel: LayerVariable | undefined;

  constructor(args: DepthwiseConv2dArgs) {
    super(args);
    this.depthMultiplier = args.depthMultiplier ?? 1;
    this.checkPositiveIntegers({ depthMultiplier: this.depthMultiplier });
  }

  protected outputChannels(inputChannels: number): number {
    return inputChannels * this.depthMultiplier;
  }

  override build(inputShape: TfShape | TfShape[]): void {
    const channels = this.nhwc(inputShape)[3];
    const [kh, kw] = this.kernelSize;
    this.kernel = this.addKernel('depthwise_kernel', [kh, kw, channels, this.depthMultiplier], {
      fanIn: kh * kw,
      fanOut: this.depthMultiplier * channels * kh * kw,
    });
    this.addBias(channels * this.depthMultiplier);
    super.build(inputShape);
  }

  protected convolve(x: tf.Tensor4D, geometry: ConvCall): tf.Tensor4D {
    return depthwiseConv2d(x, this.kernelValue(this.kernel), geometry);
  }

  protected costSteps(input: Nhwc, outChannels: number): [number, number, ConvCost][] {
    return [[input[3], outChannels, { kernelHeight: this.kernelSize[0], kernelWidth: this.kernelSize[1], groups: input[3] }]];
  }

  override getConfig() {
    return { depthMultiplier: this.depthMultiplier, ...super.getConfig() };
  }
}
