import type { LayerAnalysis } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { SymbolicTensor, Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, singleInput } from '../base/convkit-layer.js';

/** Options of {@link ChannelShuffle}. */
export interface ChannelShuffleArgs extends ConvkitLayerArgs {
  /** Number of channel groups; the channel count must be divisible by it. */
  groups: number;
}

/**
 * ShuffleNet's channel shuffle (Zhang et al., 2018): view the channels as `groups x (C / groups)`,
 * transpose to `(C / groups) x groups` and flatten, so the next grouped convolution sees channels
 * from every group. Output channel `i * groups + g` is input channel `g * (C / groups) + i`.
 */
export class ChannelShuffle extends ConvkitLayer {
  /** Serialization name. */
  static className = 'convkit.ChannelShuffle';
  /** The `groups` option, defaults resolved. */
  readonly groups: number;

  constructor(args: ChannelShuffleArgs) {
    super(args);
    this.groups = args.groups;
    this.checkPositiveIntegers({ groups: this.groups });
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const shape = this.nhwc(inputShape);
    if (shape[3] % this.groups !== 0) {
      throw this.error('bad-groups', `channels (${shape[3]}) must be divisible by groups (${this.groups})`, shape);
    }
    return shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const [n, h, w, c] = this.computeOutputShape(x.shape) as number[] as [number, number, number, number];
      const grouped = tf.reshape(x, [n * h * w, this.groups, c / this.groups]);
      return tf.reshape(tf.transpose(grouped, [0, 2, 1]), [n, h, w, c]);
    });
  }

  /** A permutation of channels moves data but computes nothing (core counts `Permute` the same way). */
  override convkitAnalysis(): LayerAnalysis {
    return { macs: 0 };
  }

  override getConfig() {
    return { groups: this.groups, ...super.getConfig() };
  }
}

/** Applies a {@link ChannelShuffle} named `name` to a symbolic tensor. */
export function channelShuffle(name: string, groups: number): (x: SymbolicTensor) => SymbolicTensor {
  const layer = new ChannelShuffle({ name, groups });
  return (x) => layer.apply(x) as SymbolicTensor;
}
