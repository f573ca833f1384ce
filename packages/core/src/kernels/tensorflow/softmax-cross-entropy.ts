import * as tf from '@tensorflow/tfjs-core';
import type { TensorflowBackend } from '../fused/tensorflow-fused-kernels.js';
import type { KernelParams } from '../replace-kernel.js';

/**
 * Kernel of {@link softmaxCrossEntropy}: inputs `logits` and `labels` (both `[N, K]`), outputs the
 * per-example losses `[N]` and the gradient of their sum with respect to the logits, `softmax − labels`.
 */
export const SOFTMAX_CROSS_ENTROPY = 'ConvkitSoftmaxCrossEntropy';

/** {@link SOFTMAX_CROSS_ENTROPY} on tensorflow: libtensorflow's SoftmaxCrossEntropyWithLogits, one op. */
export function softmaxCrossEntropyTensorflow({ inputs, backend }: KernelParams): tf.TensorInfo[] {
  const { logits, labels } = inputs as Record<'logits' | 'labels', tf.TensorInfo>;
  const node = backend as unknown as TensorflowBackend;
  const b = node.binding;
  return node.executeMultipleOutputs(
    'SoftmaxCrossEntropyWithLogits',
    [{ name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT }],
    [logits, labels],
    2,
  );
}

/** tfjs's own ops for the same loss: a stable log-softmax, its product with the targets, the mean. */
function composedCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1))) as tf.Scalar;
}

/**
 * Mean over the batch of `−Σ labels · log softmax(logits)` for `[N, K]` logits and target
 * distributions (rows of one-hot, smoothed, mixed or teacher probabilities, each summing to 1).
 * Where the active backend has the {@link SOFTMAX_CROSS_ENTROPY} kernel (tensorflow) the loss and its
 * gradient take one fused kernel forward and one multiply back (tfjs's own ops take about 24); the
 * gradient is `(softmax − labels) / N`, exact for targets that sum to 1. Differentiable in `logits`
 * only: the targets carry no gradient. Elsewhere it is tfjs's log-softmax formula, differentiable in both.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  if (tf.getKernel(SOFTMAX_CROSS_ENTROPY, tf.getBackend()) === undefined) return tf.tidy(() => composedCrossEntropy(logits, labels));
  const count = logits.shape[0];
  const fused = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const [losses, backprop] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits: x, labels }, {}) as tf.Tensor[];
    save([backprop as tf.Tensor]);
    // The mean's 1/N folds into the one multiply of the gradient.
    return {
      value: tf.mean(losses as tf.Tensor),
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(saved as tf.Tensor, tf.div(dy, count)),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return fused(logits) as tf.Scalar;
}
