import type { OutputKind } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy } from '../train/loss.js';

/** Knobs of {@link distillationLoss}. */
export interface DistillationLossOptions {
  /** Softmax temperature T (> 0); Hinton et al. use 1 to 20, 4 is common. */
  temperature: number;
  /** Weight of the hard-label cross-entropy, in [0, 1]; the soft term gets `1 - alpha`. */
  alpha: number;
  /** Label smoothing of the hard-label term; default 0. */
  labelSmoothing?: number;
  /** What the student's and the teacher's outputs hold; default logits for both. */
  studentKind?: OutputKind;
  teacherKind?: OutputKind;
}

// Probabilities become logits through their log: softmax(log p / T) is the tempered distribution.
function asLogits(output: tf.Tensor, kind: OutputKind): tf.Tensor {
  return kind === 'logits' ? output : tf.log(tf.clipByValue(output, 1e-7, 1));
}

/**
 * The knowledge-distillation loss of Hinton, Vinyals and Dean 2015 ("Distilling the Knowledge in a
 * Neural Network", section 2), batch mean:
 *
 *   L = alpha * CE(y, softmax(z_s)) + (1 - alpha) * T^2 * KL(softmax(z_t / T) || softmax(z_s / T))
 *
 * The `T^2` factor keeps the soft term's gradients at the scale of the hard term's as T changes
 * (they shrink as 1/T^2 otherwise). The teacher's logits are a constant: no gradient flows into them.
 */
export function distillationLoss(student: tf.Tensor, teacher: tf.Tensor, labels: tf.Tensor, options: DistillationLossOptions): tf.Scalar {
  const { temperature: t, alpha } = options;
  return tf.tidy(() => {
    const hard = crossEntropy(student, labels, options.studentKind ?? 'logits', options.labelSmoothing ?? 0);
    const teacherLogits = tf.div(asLogits(teacher, options.teacherKind ?? 'logits'), t);
    const logTeacher = tf.logSoftmax(teacherLogits);
    const logStudent = tf.logSoftmax(tf.div(asLogits(student, options.studentKind ?? 'logits'), t));
    const kl = tf.mean(tf.sum(tf.mul(tf.exp(logTeacher), tf.sub(logTeacher, logStudent)), -1));
    return tf.add(tf.mul(hard, alpha), tf.mul(kl, (1 - alpha) * t * t)) as tf.Scalar;
  });
}
