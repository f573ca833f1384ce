import { type OutputKind, softmaxCrossEntropy } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';

/** Turns an output into probabilities whatever its kind. */
export function toProbabilities(output: tf.Tensor, kind: OutputKind): tf.Tensor {
  return kind === 'logits' ? tf.softmax(output) : output;
}

/**
 * Mean cross-entropy of one output against (possibly soft) labels, with label smoothing
 * `y (1 - e) + e / K` (Szegedy et al. 2016). Probabilities are clipped like Keras's
 * `categorical_crossentropy`; logits go through core's `softmaxCrossEntropy` (one fused kernel on
 * tensorflow, a stable log-softmax elsewhere).
 */
export function crossEntropy(output: tf.Tensor, labels: tf.Tensor, kind: OutputKind, labelSmoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const classes = labels.shape[labels.shape.length - 1] as number;
    const targets = labelSmoothing > 0 ? tf.add(tf.mul(labels, 1 - labelSmoothing), labelSmoothing / classes) : labels;
    // The mean runs over every axis but the last, so other ranks are flattened to [rows, classes].
    const rows = (t: tf.Tensor) => (t.rank === 2 ? t : tf.reshape(t, [-1, classes])) as tf.Tensor2D;
    if (kind === 'logits') return softmaxCrossEntropy(rows(output), rows(targets));
    const logProbabilities = tf.log(tf.clipByValue(output, 1e-7, 1 - 1e-7));
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, logProbabilities), -1))) as tf.Scalar;
  });
}

/**
 * Weighted sum of the per-output losses of a multi-output model (GoogLeNet trains its two auxiliary
 * heads at weight 0.3 next to the main head at 1). `kinds` holds one kind per output, as the
 * registry's `outputKinds` gives them.
 */
export function weightedLoss(
  outputs: tf.Tensor[],
  labels: tf.Tensor,
  kinds: OutputKind[],
  weights: number[],
  labelSmoothing: number,
): tf.Scalar {
  // One output at weight 1 (every single-head model): its loss as it is, since 0 + 1 x loss is the
  // same number and costs the step four kernels (two forward, two in the gradient).
  if (outputs.length === 1 && (weights[0] ?? 1) === 1) {
    return crossEntropy(outputs[0] as tf.Tensor, labels, kinds[0] as OutputKind, labelSmoothing);
  }
  return tf.tidy(() =>
    outputs.reduce<tf.Scalar>(
      (total, output, i) => tf.add(total, tf.mul(crossEntropy(output, labels, kinds[i] as OutputKind, labelSmoothing), weights[i] ?? 1)),
      tf.scalar(0),
    ),
  );
}

/** Default loss weights: 1 for the first (main) output, 0.3 for every auxiliary one. */
export function defaultLossWeights(outputCount: number): number[] {
  return Array.from({ length: outputCount }, (_, i) => (i === 0 ? 1 : 0.3));
}
