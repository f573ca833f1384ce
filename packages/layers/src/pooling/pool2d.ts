import * as tf from '@tensorflow/tfjs-core';
import { singleInput } from '../base/convkit-layer.js';
import type { Pads } from '../base/geometry.js';
import { type SlidingWindowArgs, SlidingWindowLayer } from '../base/sliding-window-layer.js';
import { padSpatial } from '../base/window-ops.js';

/** Options of {@link MaxPool2d} and {@link AvgPool2d}. */
export interface Pool2dArgs extends SlidingWindowArgs {
  /** Round output sizes up (PyTorch's `ceil_mode`, used by GoogLeNet); default false. */
  ceilMode?: boolean;
}

/** Pooling over a window; strides default to the window size, as in PyTorch and Keras. */
abstract class Pool2d extends SlidingWindowLayer {
  constructor(args: Pool2dArgs) {
    super(args, args.kernelSize, 1, args.ceilMode ?? false);
  }

  protected outputChannels(inputChannels: number): number {
    return inputChannels;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const { pads, overhang } = this.plan(this.nhwc(x.shape));
      return this.pool(x, pads, overhang);
    });
  }

  /** Pools `x` after padding it by `pads`, of which `overhang` is ceil-mode overhang. */
  protected abstract pool(x: tf.Tensor4D, pads: Pads, overhang: Pads): tf.Tensor4D;

  override getConfig() {
    return { ceilMode: this.ceilMode, ...super.getConfig() };
  }
}

/**
 * Max pooling with PyTorch's geometry: symmetric or explicit padding (padded positions never win,
 * they are -Infinity) and `ceilMode`.
 */
export class MaxPool2d extends Pool2d {
  /** Serialization name. */
  static className = 'convkit.MaxPool2d';

  protected pool(x: tf.Tensor4D, pads: Pads): tf.Tensor4D {
    return tf.maxPool(padSpatial(x, pads, Number.NEGATIVE_INFINITY), this.kernelSize, this.strides, 'valid');
  }
}

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dArgs extends Pool2dArgs {
  /**
   * Whether padded zeros count in the divisor (PyTorch's `count_include_pad`, default true there and
   * here); TF/Keras `'same'` average pooling excludes them (false). Ceil-mode overhang never counts,
   * as in PyTorch.
   */
  countIncludePad?: boolean;
}

/**
 * Average pooling with PyTorch's geometry and divisor rule. Windows that reach into excluded padding
 * are divided by the number of positions they cover, found on each call by average-pooling a mask of
 * the counted positions (a small `[1, h, w, 1]` pool; skipped when nothing is excluded).
 */
export class AvgPool2d extends Pool2d {
  /** Serialization name. */
  static className = 'convkit.AvgPool2d';
  /** The `countIncludePad` option, defaults resolved. */
  readonly countIncludePad: boolean;

  constructor(args: AvgPool2dArgs) {
    super(args);
    this.countIncludePad = args.countIncludePad ?? true;
  }

  protected pool(x: tf.Tensor4D, pads: Pads, overhang: Pads): tf.Tensor4D {
    const mean = tf.avgPool(padSpatial(x, pads), this.kernelSize, this.strides, 'valid');
    const counted: Pads = this.countIncludePad ? overhang : pads;
    if (counted.flat().every((p) => p === 0)) return mean;
    // the fraction of each window that counts; mean / fraction = sum / counted positions.
    const [, h, w] = x.shape;
    const inside = tf.ones([
      1,
      h + pads[0][0] + pads[0][1] - counted[0][0] - counted[0][1],
      w + pads[1][0] + pads[1][1] - counted[1][0] - counted[1][1],
      1,
    ]) as tf.Tensor4D;
    const fraction = tf.avgPool(padSpatial(inside, counted), this.kernelSize, this.strides, 'valid');
    return tf.div(mean, fraction);
  }

  override getConfig() {
    return { countIncludePad: this.countIncludePad, ...super.getConfig() };
  }
}
