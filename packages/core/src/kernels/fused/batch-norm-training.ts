import * as tf from '@tensorflow/tfjs-core';

/** Kernel of {@link batchNormTraining}: inputs `x` (NHWC), `scale`, `offset`, `movingMean`, `movingVariance`. */
export const BATCH_NORM_TRAINING = 'ConvkitBatchNormTraining';
/** Its gradient kernel: inputs `dy`, `x`, `scale`, `savedMean`, `savedVariance`; outputs dx, dScale, dOffset. */
export const BATCH_NORM_TRAINING_GRAD = 'ConvkitBatchNormTrainingGrad';

/** Attributes of both batch-norm kernels. */
export interface BatchNormTrainingAttrs {
  epsilon: number;
  /** Weight of the batch statistics in the running averages (PyTorch's `momentum`). */
  momentum: number;
}

/** What {@link batchNormTraining} returns. */
export interface BatchNormTrainingResult {
  /** The normalized, scaled and shifted input. */
  y: tf.Tensor;
  /** The running averages after this batch: `(1 − m)·old + m·batch`, the variance unbiased. */
  movingMean: tf.Tensor1D;
  movingVariance: tf.Tensor1D;
}

/** Options of {@link batchNormTraining}. */
export interface BatchNormTrainingOptions {
  /** Learned per-channel scale (gamma); null for none (`affine: false`). */
  scale: tf.Tensor1D | null;
  /** Learned per-channel shift (beta); null for none. */
  offset: tf.Tensor1D | null;
  movingMean: tf.Tensor1D;
  movingVariance: tf.Tensor1D;
  epsilon: number;
  /** Weight of this batch in the running averages, PyTorch's convention (0.1 by default there). */
  momentum: number;
}

/** Whether the active backend runs {@link batchNormTraining} as one kernel (convkit registered it). */
export function hasFusedBatchNorm(): boolean {
  return tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) !== undefined;
}

/**
 * Batch normalization in training mode over the last axis as one forward kernel and one gradient
 * kernel (TensorFlow's FusedBatchNormV3 / FusedBatchNormGradV3 on the tensorflow backend, convkit's
 * two-pass loops on cpu and wasm), instead of tfjs's moments plus a gradient of about fifteen ops.
 * Normalizes with the biased batch variance and returns the running statistics moved by `momentum`
 * towards the batch mean and the unbiased batch variance, as PyTorch's BatchNorm does. Differentiable
 * in `x`, `scale` and `offset`; the running statistics carry no gradient. Needs {@link hasFusedBatchNorm}.
 */
export function batchNormTraining(x: tf.Tensor, options: BatchNormTrainingOptions): BatchNormTrainingResult {
  return tf.tidy(() => {
    const channels = x.shape[x.rank - 1] as number;
    const x4 = x.rank === 4 ? x : tf.reshape(x, [-1, 1, 1, channels]);
    const scale = options.scale ?? tf.ones([channels]);
    const offset = options.offset ?? tf.zeros([channels]);
    const attrs: BatchNormTrainingAttrs = { epsilon: options.epsilon, momentum: options.momentum };
    const [y, movingMean, movingVariance] = tf
      .engine()
      .runKernel(
        BATCH_NORM_TRAINING,
        { x: x4, scale, offset, movingMean: options.movingMean, movingVariance: options.movingVariance },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
    return {
      y: x.rank === 4 ? (y as tf.Tensor) : tf.reshape(y as tf.Tensor, x.shape),
      movingMean: movingMean as tf.Tensor1D,
      movingVariance: movingVariance as tf.Tensor1D,
    };
  });
}

/** The gradient of the {@link BATCH_NORM_TRAINING} kernel: one {@link BATCH_NORM_TRAINING_GRAD} call. */
export const batchNormTrainingGradient: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, false, false, true, true],
  gradFunc: (dy, saved, attrs) => {
    const [x, scale, savedMean, savedVariance] = saved as tf.Tensor[];
    const dyOut = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor;
    const [dx, dScale, dOffset] = tf.engine().runKernel(
      BATCH_NORM_TRAINING_GRAD,
      {
        dy: dyOut,
        x: x as tf.Tensor,
        scale: scale as tf.Tensor,
        savedMean: savedMean as tf.Tensor,
        savedVariance: savedVariance as tf.Tensor,
      },
      attrs,
    ) as tf.Tensor[];
    const zeros = () => tf.zeros([(scale as tf.Tensor).shape[0] as number]);
    return {
      x: () => dx as tf.Tensor,
      scale: () => dScale as tf.Tensor,
      offset: () => dOffset as tf.Tensor,
      movingMean: zeros,
      movingVariance: zeros,
    };
  },
};
