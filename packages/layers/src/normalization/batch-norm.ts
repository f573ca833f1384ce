import { batchNormTraining, ConvkitError, hasFusedBatchNorm } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { type LayerVariable, layers } from '@tensorflow/tfjs-layers';

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Layer name, e.g. `${prefix}.bn`. */
  name?: string;
  /**
   * Weight of the new batch statistic in the running average, PyTorch's convention: default 0.1, i.e.
   * `running = 0.9 * running + 0.1 * batch`. Keras/tfjs write the same as `momentum: 0.9` (the weight
   * of the old value); give {@link BatchNormOptions.kerasMomentum} instead to use that convention.
   */
  momentum?: number;
  /** Weight of the old running value (Keras/tfjs convention, whose default is 0.99); exclusive with `momentum`. */
  kerasMomentum?: number;
  /** Added to the variance before the square root; default 1e-5 (PyTorch's; Keras's and tfjs's is 1e-3). */
  epsilon?: number;
  /**
   * Initialise the scale (gamma) to 0 so the block starts as identity: for the last BN of a residual
   * branch (Goyal et al., 2017, "Accurate, Large Minibatch SGD"). Default false (gamma = 1).
   */
  zeroInit?: boolean;
  /**
   * Learn a per-channel scale and shift (gamma, beta); default true. `false` is PyTorch's
   * `BatchNorm2d(affine=False)`, as DARTS's search cells use: normalization by the batch (or running)
   * statistics alone, whose only weights are the running mean and variance.
   */
  affine?: boolean;
}

/**
 * Batch normalization over the channel axis (Ioffe & Szegedy, 2015) with PyTorch's defaults, as a
 * stock tfjs `BatchNormalization` layer (so plain tfjs loads it). Semantics against the frameworks:
 * - momentum: PyTorch's `m` = 1 - Keras's `momentum` (PyTorch 0.1 = Keras 0.9); tfjs's default 0.99 =
 *   PyTorch 0.01;
 * - epsilon: 1e-5 here and in PyTorch, 1e-3 in Keras/tfjs; imported PyTorch weights need PyTorch's;
 * - running variance: updated with the unbiased batch variance (n / (n - 1) times the biased one), as
 *   PyTorch does (stock tfjs uses the biased one); normalisation in training uses the biased variance
 *   and inference the running statistics, as in both frameworks.
 *
 * In training, on a backend where convkit registered its fused kernels (`initBackend` does), the
 * layer runs as one forward and one gradient kernel that also moves the running statistics; elsewhere
 * it runs tfjs's own ops. Its class and config stay tfjs's `BatchNormalization`, so saved models load
 * in plain tfjs as before.
 */
export function batchNorm(options: BatchNormOptions = {}): layers.Layer {
  const owner = options.name ? `batch norm ${options.name}` : 'batch norm';
  if (options.momentum !== undefined && options.kerasMomentum !== undefined) {
    throw new ConvkitError('bad-option', `${owner}: give momentum (PyTorch's) or kerasMomentum, not both`);
  }
  if (options.affine === false && options.zeroInit) {
    throw new ConvkitError('bad-option', `${owner}: zeroInit sets the learned scale, which affine: false leaves out; drop one of them`);
  }
  const kerasMomentum = options.kerasMomentum ?? 1 - (options.momentum ?? 0.1);
  if (!(kerasMomentum >= 0 && kerasMomentum <= 1)) {
    throw new ConvkitError('bad-option', `${owner}: momentum must be in [0, 1], got ${options.momentum ?? options.kerasMomentum}`);
  }
  const layer = layers.batchNormalization({
    axis: -1,
    momentum: kerasMomentum,
    epsilon: options.epsilon ?? 1e-5,
    gammaInitializer: options.zeroInit ? 'zeros' : 'ones',
    center: options.affine ?? true,
    scale: options.affine ?? true,
    ...(options.name ? { name: options.name } : {}),
  });
  fuseTraining(layer as unknown as StockBatchNorm);
  return layer;
}

/** The fields of tfjs's BatchNormalization that its training call reads (private in its typings). */
interface StockBatchNorm {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: LayerVariable;
  beta?: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor;
}

/**
 * Makes `layer`'s training call one fused kernel (and its gradient one more) where the backend has
 * them, with PyTorch's running-statistics update; inference, other axes and backends without the
 * kernels keep tfjs's call. The instance's method is replaced, not the class, so serialization is
 * untouched.
 */
function fuseTraining(layer: StockBatchNorm): void {
  const stockCall = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const lastAxis = layer.axis === -1 || layer.axis === x.rank - 1;
    if (!kwargs.training || !lastAxis || !hasFusedBatchNorm()) return stockCall(inputs, kwargs);
    return tf.tidy(() => {
      const result = batchNormTraining(x, {
        scale: (layer.gamma?.read() as tf.Tensor1D | undefined) ?? null,
        offset: (layer.beta?.read() as tf.Tensor1D | undefined) ?? null,
        movingMean: layer.movingMean.read() as tf.Tensor1D,
        movingVariance: layer.movingVariance.read() as tf.Tensor1D,
        epsilon: layer.epsilon,
        // tfjs's momentum weighs the old value; the kernel takes the batch's weight, PyTorch's.
        momentum: 1 - layer.momentum,
      });
      layer.movingMean.write(result.movingMean);
      layer.movingVariance.write(result.movingVariance);
      return result.y;
    });
  };
}
