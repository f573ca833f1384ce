import * as tf from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, type Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, singleInput, singleShape } from '../base/convkit-layer.js';

/** Options of {@link PReLU}. */
export interface PReLUArgs extends ConvkitLayerArgs {
  /** One learnable slope per channel (default, as He et al. use it) or one shared by all channels. */
  perChannel?: boolean;
  /** Initial slope; default 0.25 (He et al., 2015, and PyTorch). */
  init?: number;
}

/**
 * Parametric ReLU (He et al., 2015, "Delving Deep into Rectifiers"): `max(0, x) + a * min(0, x)` with
 * `a` learned, per channel (the last axis) by default. Any rank; the slope is shared over every other axis.
 */
export class PReLU extends ConvkitLayer {
  /** Serialization name. */
  static className = 'convkit.PReLU';
  /** The `perChannel` option, defaults resolved. */
  readonly perChannel: boolean;
  /** The `init` option, defaults resolved. */
  readonly init: number;
  private slope: LayerVariable | undefined;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.perChannel = args.perChannel ?? true;
    this.init = args.init ?? 0.25;
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return singleShape(inputShape);
  }

  override build(inputShape: TfShape | TfShape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[shape.length - 1];
    if (this.perChannel && (shape.length < 2 || channels == null)) {
      throw this.error('unknown-channels', 'a per-channel PReLU needs a known last (channel) axis', shape);
    }
    this.slope = this.addWeight(
      'alpha',
      [this.perChannel ? (channels as number) : 1],
      'float32',
      initializers.constant({ value: this.init }),
    );
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput<tf.Tensor>(inputs);
      return tf.prelu(x, (this.slope as LayerVariable).read());
    });
  }

  override getConfig() {
    return { perChannel: this.perChannel, init: this.init, ...super.getConfig() };
  }
}
