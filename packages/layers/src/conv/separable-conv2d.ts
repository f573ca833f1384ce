import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable, Shape as TfShape } from '@tensorflow/tfjs-layers';
import { type ConvCost, FiltersConvLayer } from '../base/conv-layer.js';
import type { Nhwc } from '../base/convkit-layer.js';
import { type ConvCall, depthwiseConv2d } from '../base/window-ops.js';
import type { DepthwiseConv2dArgs } from './depthwise-conv2d.js';

/** Options of {@link SeparableConv2d}. */
export interface SeparableConv2dArgs extends DepthwiseConv2dArgs {
  /** Output channels of the pointwise step. */
  filters: number;
}

/**
 * Depthwise-separable convolution as one layer: a depthwise `k x k` convolution then a pointwise
 * `1 x 1` one, with nothing between them (Xception's form, Chollet 2017, and Keras `SeparableConv2D`).
 * For MobileNet's form, with batch norm and ReLU after each step, use {@link depthwiseSeparable}.
 * Cost relative to a standard convolution: `1/filters + 1/k^2` (Howard et al., 2017).
 */
export class SeparableConv2d extends FiltersConvLayer {
  /** Serialization name. */
  static className = 'convkit.SeparableConv2d';
  /** The `depthMultiplier` option, defaults resolved. */
  readonly depthMultiplier: number;
  private depthwise: LayerVariable | undefined;
  private pointwise: LayerVariable | undefined;

  constructor(args: SeparableConv2dArgs) {
    super(args);
    this.depthMultiplier = args.depthMultiplier ?? 1;
    this.checkPositiveIntegers({ depthMultiplier: this.depthMultiplier });
  }

  override build(inputShape: TfShape | TfShape[]): void {
    const channels = this.nhwc(inputShape)[3];
    const [kh, kw] = this.kernelSize;
    const middle = channels * this.depthMultiplier;
    this.depthwise = this.addKernel('depthwise_kernel', [kh, kw, channels, this.depthMultiplier], {
      fanIn: kh * kw,
      fanOut: middle * kh * kw,
    });
    this.pointwise = this.addKernel('pointwise_kernel', [1, 1, middle, this.filters], { fanIn: middle, fanOut: this.filters });
    this.addBias(this.filters);
    super.build(inputShape);
  }

  protected convolve(x: tf.Tensor4D, geometry: ConvCall): tf.Tensor4D {
    const spatial = depthwiseConv2d(x, this.kernelValue(this.depthwise), geometry);
    return tf.conv2d(spatial, this.kernelValue(this.pointwise), 1, 'valid');
  }

  protected costSteps(input: Nhwc, outChannels: number): [number, number, ConvCost][] {
    const middle = input[3] * this.depthMultiplier;
    return [
      [input[3], middle, { kernelHeight: this.kernelSize[0], kernelWidth: this.kernelSize[1], groups: input[3] }],
      [middle, outChannels, { kernelHeight: 1, kernelWidth: 1 }],
    ];
  }

  override getConfig() {
    return { filters: this.filters, depthMultiplier: this.depthMultiplier, ...super.getConfig() };
  }
}
