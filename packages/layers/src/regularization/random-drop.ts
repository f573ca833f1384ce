import { createRng, type LayerAnalysis, type SeededRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, singleInput, singleShape } from '../base/convkit-layer.js';

/** Options of convkit's dropout layers. */
export interface RandomDropArgs extends ConvkitLayerArgs {
  /** Probability of dropping, in [0, 1). */
  rate: number;
  /**
   * Seed of the sequence of masks: each training call draws the next mask seed from a generator
   * seeded with it, so a run is reproducible while masks still change from step to step. Without a
   * seed tfjs draws unseeded masks.
   */
  seed?: number;
}

/**
 * Inverted dropout on a mask shape chosen by the subclass: in training `y = x * m / (1 - rate)` with
 * `m ~ Bernoulli(1 - rate)` broadcast over the mask's unit axes, so expectations match inference,
 * where the layer is the identity (Srivastava et al., 2014, with the scaling moved to training time).
 */
export abstract class RandomDrop extends ConvkitLayer {
  /** The `rate` option, defaults resolved. */
  readonly rate: number;
  /** The `seed` option, defaults resolved. */
  readonly seed: number | undefined;
  private readonly rng: SeededRng | undefined;

  constructor(args: RandomDropArgs) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed ?? undefined;
    if (!(this.rate >= 0 && this.rate < 1)) {
      throw this.error('bad-option', `rate must be in [0, 1), got ${this.rate}`);
    }
    this.rng = this.seed === undefined ? undefined : createRng(this.seed);
  }

  /** Shape of the mask for an input of `shape`: 1 on the axes a single draw covers. */
  protected abstract maskShape(shape: number[]): number[];

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean } = {}): tf.Tensor {
    const x = singleInput<tf.Tensor>(inputs);
    if (!kwargs.training || this.rate === 0) return x;
    return tf.tidy(() => {
      const keep = 1 - this.rate;
      const uniform = tf.randomUniform(this.maskShape(x.shape), 0, 1, 'float32', this.rng?.seed());
      const mask = tf.floor(tf.add(uniform, keep));
      return tf.mul(x, tf.div(mask, keep));
    });
  }

  /** Free at inference, where summaries are taken (core counts tfjs's own dropout layers the same way). */
  override convkitAnalysis(): LayerAnalysis {
    return { macs: 0 };
  }

  override getConfig() {
    return { rate: this.rate, ...(this.seed === undefined ? {} : { seed: this.seed }), ...super.getConfig() };
  }
}
