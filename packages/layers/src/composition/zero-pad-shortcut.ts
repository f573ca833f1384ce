import type { LayerAnalysis } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, singleInput } from '../base/convkit-layer.js';

/** Options of {@link ZeroPadShortcut}. */
export interface ZeroPadShortcutArgs extends ConvkitLayerArgs {
  /** Output channels, at least the input's; the extra channels are zeros. */
  filters: number;
  /** Subsampling step of both spatial axes; default 2 (the stride of the block's first convolution). */
  strides?: number;
}

/**
 * ResNet's parameter-free "option A" shortcut (He et al. 2016, section 3.3 and the CIFAR networks of
 * section 4.2): keeps every `strides`-th row and column (positions 0, s, 2s, ..., which a stride-s
 * 3x3 convolution with padding 1 centres on, so both give `ceil(h / s)` rows) and pads the channels
 * with zeros up to `filters`, half before and half after (the odd one after). It adds no weights,
 * which is the point of option A: the CIFAR ResNets' parameter counts are those of their convolutions.
 */
export class ZeroPadShortcut extends ConvkitLayer {
  /** Serialization name. */
  static className = 'convkit.ZeroPadShortcut';
  /** The `filters` option. */
  readonly filters: number;
  /** The `strides` option, default resolved. */
  readonly strides: number;

  constructor(args: ZeroPadShortcutArgs) {
    super(args);
    this.filters = args.filters;
    this.strides = args.strides ?? 2;
    this.checkPositiveIntegers({ filters: this.filters, strides: this.strides });
  }

  /** Zero channels before and after the input's, for `channels` input channels. */
  private padding(channels: number, shape: readonly (number | null)[]): [number, number] {
    const extra = this.filters - channels;
    if (extra < 0) {
      throw this.error(
        'bad-option',
        `filters (${this.filters}) must be at least the input channels (${channels}); a shortcut that drops channels needs a projection`,
        shape,
      );
    }
    const before = Math.floor(extra / 2);
    return [before, extra - before];
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const [n, h, w, c] = this.nhwc(inputShape);
    this.padding(c, [n, h, w, c]);
    const subsampled = (d: number | null) => (d === null ? null : Math.ceil(d / this.strides));
    return [n, subsampled(h), subsampled(w), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const [before, after] = this.padding(x.shape[3], x.shape);
      const s = this.strides;
      // A 1x1 average pool of stride s is the subsampling x[:, ::s, ::s]; tfjs's stridedSlice would
      // do the same but has no gradient.
      const subsampled = s === 1 ? x : tf.avgPool(x, 1, s, 'valid');
      return tf.pad(subsampled, [
        [0, 0],
        [0, 0],
        [0, 0],
        [before, after],
      ]);
    });
  }

  /**
   * No arithmetic; a 1x1 window of stride `strides` for the receptive field (each output sees one
   * input pixel, and neighbours are `strides` apart).
   */
  override convkitAnalysis(): LayerAnalysis {
    return { macs: 0, window: { kernel: [1, 1], stride: [this.strides, this.strides], dilation: [1, 1] } };
  }

  override getConfig() {
    return { filters: this.filters, strides: this.strides, ...super.getConfig() };
  }
}
