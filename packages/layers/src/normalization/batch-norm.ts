import { ConvkitError } from '@convkit/core';
import { layers } from '@tensorflow/tfjs-layers';

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
 * - running variance: PyTorch updates it with the unbiased batch variance (n / (n - 1) times), tfjs
 *   with the biased one; normalisation in training uses the biased variance in both, and inference
 *   uses the running statistics in both.
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
  return layers.batchNormalization({
    axis: -1,
    momentum: kerasMomentum,
    epsilon: options.epsilon ?? 1e-5,
    gammaInitializer: options.zeroInit ? 'zeros' : 'ones',
    center: options.affine ?? true,
    scale: options.affine ?? true,
    ...(options.name ? { name: options.name } : {}),
  });
}
