import type { LayerAnalysis, Shape } from '@convkit/core';
import { ConvkitLayer, type ConvkitLayerArgs } from '@convkit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Shape as TfShape } from '@tensorflow/tfjs-layers';

/**
 * CBAM's `ChannelPool` (Woo et al. 2018): the maximum and the mean over the channel axis of each
 * position, concatenated in that order (the official code's), `[n, h, w, c] -> [n, h, w, 2]`: the
 * two-channel map CBAM's spatial gate convolves.
 */
export class ChannelPool extends ConvkitLayer {
  /** Serialization name. */
  static className = 'convkit.ChannelPool';

  constructor(args: ConvkitLayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const [n, h, w] = this.nhwc(inputShape);
    return [n, h, w, 2];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      this.nhwc(x.shape);
      return tf.concat([tf.max(x, -1, true), tf.mean(x, -1, true)], -1);
    });
  }

  /** Two ops (one per statistic) per input element. */
  override convkitAnalysis(inputShapes: Shape[]): LayerAnalysis {
    const shape = (Array.isArray(inputShapes[0]) ? inputShapes[0] : inputShapes) as Shape;
    return { macs: 2 * shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1) };
  }
}
