import type { LayerAnalysis, Shape } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, elementsPerExample, singleInput, singleShape } from '../base/convkit-layer.js';

/** Options of {@link GlobalAvgPool2d} and {@link GlobalMaxPool2d}. */
export interface GlobalPool2dArgs extends ConvkitLayerArgs {
  /** Keep height and width as 1 (`[n, 1, 1, c]`, what squeeze-excitation multiplies by); default false (`[n, c]`). */
  keepDims?: boolean;
}

/** Reduces height and width to one value per channel, for any input size. */
abstract class GlobalPool2d extends ConvkitLayer {
  /** The `keepDims` option, defaults resolved. */
  readonly keepDims: boolean;

  constructor(args: GlobalPool2dArgs = {}) {
    super(args);
    this.keepDims = args.keepDims ?? false;
  }

  /** Reduces axes 1 and 2. */
  protected abstract reduce(x: tf.Tensor4D): tf.Tensor;

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const [n, , , c] = this.nhwc(inputShape);
    return this.keepDims ? [n, 1, 1, c] : [n, c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      this.nhwc(x.shape);
      return this.reduce(x);
    });
  }

  /** One op per input element; every output sees the whole input. */
  override convkitAnalysis(inputShapes: Shape[]): LayerAnalysis {
    return { macs: elementsPerExample(singleShape(inputShapes as TfShape[])), global: true };
  }

  override getConfig() {
    return { keepDims: this.keepDims, ...super.getConfig() };
  }
}

/** Global average pooling (Lin et al., 2014, "Network in Network"), optionally keeping 1x1 spatial axes. */
export class GlobalAvgPool2d extends GlobalPool2d {
  /** Serialization name. */
  static className = 'convkit.GlobalAvgPool2d';
  protected override reduce(x: tf.Tensor4D): tf.Tensor {
    return tf.mean(x, [1, 2], this.keepDims);
  }
}

/** Global max pooling, optionally keeping 1x1 spatial axes. */
export class GlobalMaxPool2d extends GlobalPool2d {
  /** Serialization name. */
  static className = 'convkit.GlobalMaxPool2d';
  protected override reduce(x: tf.Tensor4D): tf.Tensor {
    return tf.max(x, [1, 2], this.keepDims);
  }
}
