import type { LayerAnalysis, Shape } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, singleInput, singleShape } from '../base/convkit-layer.js';
import { checkedPair, type IntPair } from '../base/geometry.js';
import { adaptiveBins } from './adaptive-bins.js';

/** Options of {@link AdaptiveAvgPool2d} and {@link AdaptiveMaxPool2d}. */
export interface AdaptivePool2dArgs extends ConvkitLayerArgs {
  /** Output height and width (one number for both), any positive size, larger than the input too. */
  outputSize: IntPair;
}

/**
 * Pools any input to a fixed `outputSize` with PyTorch's bins (see {@link adaptiveBins}). A bin is a
 * rectangle of rows times columns, and mean and max over a rectangle can be taken rows first then
 * columns, so the op is two passes of one slice-and-reduce per bin; gradients come from autodiff.
 */
abstract class AdaptivePool2d extends ConvkitLayer {
  /** Output height and width. */
  readonly outputSize: [number, number];

  constructor(args: AdaptivePool2dArgs) {
    super(args);
    this.outputSize = checkedPair(this.describe(), 'outputSize', args.outputSize);
  }

  /** Reduces `x` over `axis`, keeping the axis. */
  protected abstract reduce(x: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D;

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const [n, , , c] = this.nhwc(inputShape);
    return [n, this.outputSize[0], this.outputSize[1], c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      this.nhwc(x.shape);
      return this.pool(this.pool(x, 1, this.outputSize[0]), 2, this.outputSize[1]);
    });
  }

  private pool(x: tf.Tensor4D, axis: 1 | 2, out: number): tf.Tensor4D {
    const size = x.shape[axis];
    if (size === out) return x;
    const parts = adaptiveBins(size, out).map(({ start, end }) => {
      const begin: [number, number, number, number] = [0, 0, 0, 0];
      const extent: [number, number, number, number] = [-1, -1, -1, -1];
      begin[axis] = start;
      extent[axis] = end - start;
      return this.reduce(tf.slice(x, begin, extent), axis);
    });
    return parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts, axis);
  }

  /**
   * One op per pooled input element; the window is exact when the input divides evenly into the bins
   * (kernel = stride = size / out) and the largest bin (stride rounded down) otherwise, which is what the
   * receptive-field arithmetic can express. A 1x1 output sees the whole input.
   */
  override convkitAnalysis(inputShapes: Shape[], outputShape: Shape): LayerAnalysis {
    const input = singleShape(inputShapes as TfShape[]);
    const [h, w, c] = [input[1] ?? this.outputSize[0], input[2] ?? this.outputSize[1], input[3] ?? outputShape[3] ?? 1];
    const rows = adaptiveBins(h, this.outputSize[0]);
    const cols = adaptiveBins(w, this.outputSize[1]);
    const span = (bins: typeof rows) => bins.reduce((s, b) => s + b.end - b.start, 0);
    const macs = span(rows) * span(cols) * c;
    if (this.outputSize[0] === 1 && this.outputSize[1] === 1) return { macs, global: true };
    const largest = (bins: typeof rows) => Math.max(...bins.map((b) => b.end - b.start));
    return {
      macs,
      window: {
        kernel: [largest(rows), largest(cols)],
        stride: [Math.max(1, Math.floor(h / this.outputSize[0])), Math.max(1, Math.floor(w / this.outputSize[1]))],
        dilation: [1, 1],
      },
    };
  }

  override getConfig() {
    return { outputSize: [...this.outputSize], ...super.getConfig() };
  }
}

/** `torch.nn.AdaptiveAvgPool2d` for NHWC tensors: the mean of each of PyTorch's bins. */
export class AdaptiveAvgPool2d extends AdaptivePool2d {
  /** Serialization name. */
  static className = 'convkit.AdaptiveAvgPool2d';
  protected override reduce(x: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D {
    return tf.mean(x, axis, true);
  }
}

/** `torch.nn.AdaptiveMaxPool2d` for NHWC tensors: the maximum of each of PyTorch's bins. */
export class AdaptiveMaxPool2d extends AdaptivePool2d {
  /** Serialization name. */
  static className = 'convkit.AdaptiveMaxPool2d';
  protected override reduce(x: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D {
    return tf.max(x, axis, true);
  }
}
