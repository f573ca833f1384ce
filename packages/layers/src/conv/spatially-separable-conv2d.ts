import type * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable, Shape as TfShape } from '@tensorflow/tfjs-layers';
import { type ConvCost, type FiltersConvArgs, FiltersConvLayer } from '../base/conv-layer.js';
import type { Nhwc } from '../base/convkit-layer.js';
import { type ConvCall, groupedConv2d } from '../base/window-ops.js';

/** Options of {@link SpatiallySeparableConv2d}. */
export interface SpatiallySeparableConv2dArgs extends FiltersConvArgs {
  /** Channels between the `kh x 1` and the `1 x kw` steps; default `filters`. */
  middleFilters?: number;
}

/**
 * Spatially separable convolution: a `kh x 1` convolution then a `1 x kw` one (Inception v3's
 * factorization, Szegedy et al., 2016, §3.2), with the height's stride/dilation/padding applied in the
 * first step and the width's in the second, so its output size equals a `kh x kw` convolution's.
 */
export class SpatiallySeparableConv2d extends FiltersConvLayer {
  /** Serialization name. */
  static className = 'convkit.SpatiallySeparableConv2d';
  /** The `middleFilters` option, defaults resolved. */
  readonly middleFilters: number;
  private vertical: LayerVariable | undefined;
  private horizontal: LayerVariable | undefined;

  constructor(args: SpatiallySeparableConv2dArgs) {
    super(args);
    this.middleFilters = args.middleFilters ?? args.filters;
    this.checkPositiveIntegers({ middleFilters: this.middleFilters });
  }

  override build(inputShape: TfShape | TfShape[]): void {
    const channels = this.nhwc(inputShape)[3];
    const [kh, kw] = this.kernelSize;
    this.vertical = this.addKernel('kernel_v', [kh, 1, channels, this.middleFilters], {
      fanIn: channels * kh,
      fanOut: this.middleFilters * kh,
    });
    this.horizontal = this.addKernel('kernel_h', [1, kw, this.middleFilters, this.filters], {
      fanIn: this.middleFilters * kw,
      fanOut: this.filters * kw,
    });
    this.addBias(this.filters);
    super.build(inputShape);
  }

  protected convolve(x: tf.Tensor4D, { strides: [sh, sw], dilation: [dh, dw], pads }: ConvCall): tf.Tensor4D {
    const columns = groupedConv2d(x, this.kernelValue(this.vertical), 1, {
      strides: [sh, 1],
      dilation: [dh, 1],
      pads: [pads[0], [0, 0]],
    });
    return groupedConv2d(columns, this.kernelValue(this.horizontal), 1, {
      strides: [1, sw],
      dilation: [1, dw],
      pads: [[0, 0], pads[1]],
    });
  }

  /**
   * The first step runs at the output height and the unpadded input width: {@link convolve} adds the
   * width's zeros only before the second step, which reduces the width.
   */
  protected costSteps(input: Nhwc, outChannels: number): [number, number, ConvCost][] {
    const width = input[2] == null ? {} : { outWidth: input[2] };
    return [
      [input[3], this.middleFilters, { kernelHeight: this.kernelSize[0], kernelWidth: 1, ...width }],
      [this.middleFilters, outChannels, { kernelHeight: 1, kernelWidth: this.kernelSize[1] }],
    ];
  }

  override getConfig() {
    return { filters: this.filters, middleFilters: this.middleFilters, ...super.getConfig() };
  }
}
