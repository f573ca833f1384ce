import type { LayerAnalysis, Shape } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, elementsPerExample, singleInput } from '../base/convkit-layer.js';

/**
 * Where the `alpha` of local response normalization applies:
 * - `'alexnet'`: to the sum of squares, as in the AlexNet paper and in TensorFlow/tfjs
 *   `localResponseNormalization` (whose `alpha` is not divided by the window);
 * - `'pytorch'`: to the mean of squares (`alpha / n` times the sum), as in PyTorch's and Caffe's
 *   `LocalResponseNorm`. A PyTorch model's `alpha` is `n` times the paper's for the same layer.
 */
export type LrnConvention = 'alexnet' | 'pytorch';

/** Options of {@link LocalResponseNorm}; the defaults are AlexNet's (Krizhevsky et al., 2012, §3.3). */
export interface LocalResponseNormArgs extends ConvkitLayerArgs {
  /** Channels in the window, `n`; default 5. Odd windows are centred; even ones reach one channel further back, as PyTorch's. */
  size?: number;
  /** Scale of the sum (or mean) of squares; default 1e-4. */
  alpha?: number;
  /** Exponent; default 0.75. */
  beta?: number;
  /** Additive constant; default 2. */
  k?: number;
  /** Whether `alpha` multiplies the sum (`'alexnet'`, default) or the mean (`'pytorch'`) of squares. */
  convention?: LrnConvention;
}

/**
 * Local response normalization across channels (AlexNet):
 * `b[c] = a[c] / (k + alpha * sum_{j in window(c)} a[j]^2) ^ beta`, where the window holds the `n`
 * channels around `c` that exist (zeros past the edges). With `convention: 'pytorch'` the sum is
 * divided by `n`. Built from differentiable primitives, so it trains on every backend.
 */
export class LocalResponseNorm extends ConvkitLayer {
  /** Serialization name. */
  static className = 'convkit.LocalResponseNorm';
  /** The `size` option, defaults resolved. */
  readonly size: number;
  /** The `alpha` option, defaults resolved. */
  readonly alpha: number;
  /** The `beta` option, defaults resolved. */
  readonly beta: number;
  /** The `k` option, defaults resolved. */
  readonly k: number;
  /** The `convention` option, defaults resolved. */
  readonly convention: LrnConvention;

  constructor(args: LocalResponseNormArgs = {}) {
    super(args);
    this.size = args.size ?? 5;
    this.alpha = args.alpha ?? 1e-4;
    this.beta = args.beta ?? 0.75;
    this.k = args.k ?? 2;
    this.convention = args.convention ?? 'alexnet';
    this.checkPositiveIntegers({ size: this.size });
    if (this.convention !== 'alexnet' && this.convention !== 'pytorch') {
      throw this.error('bad-option', `convention must be 'alexnet' or 'pytorch', got "${this.convention}"`);
    }
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return this.nhwc(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const channels = this.nhwc(x.shape)[3];
      const before = Math.floor(this.size / 2);
      const after = this.size - 1 - before;
      const squares = tf.pad(tf.square(x), [
        [0, 0],
        [0, 0],
        [0, 0],
        [before, after],
      ]);
      const shifted = Array.from({ length: this.size }, (_, j) => tf.slice(squares, [0, 0, 0, j], [-1, -1, -1, channels]));
      const windowSum = shifted.length === 1 ? (shifted[0] as tf.Tensor4D) : tf.addN(shifted);
      const scale = this.convention === 'pytorch' ? this.alpha / this.size : this.alpha;
      return tf.div(x, tf.pow(tf.add(this.k, tf.mul(scale, windowSum)), this.beta));
    });
  }

  /** `n` multiply–adds per output element for the window sum, as the summary counts element-wise work. */
  override convkitAnalysis(_inputShapes: Shape[], outputShape: Shape): LayerAnalysis {
    return { macs: elementsPerExample(outputShape) * this.size };
  }

  override getConfig() {
    return { size: this.size, alpha: this.alpha, beta: this.beta, k: this.k, convention: this.convention, ...super.getConfig() };
  }
}
