import * as tf from '@tensorflow/tfjs-core';
import type { BilevelModel, SearchBatch } from '../../src/index.js';

/**
 * A two-edge mixed-op model whose loss is smooth in both parameter groups (tanh, cos and square
 * as the primitives, different enough that the mixture matters, dense layers as the weights): finite differences of it converge, which a ReLU
 * and max-pool search network's do not at float32 (its weight gradient jumps at every kink, so the
 * unrolled validation loss is not even continuous there). Inputs are flattened NHWC images.
 */
export class SmoothBilevelModel implements BilevelModel {
  readonly weights: tf.Variable[];
  readonly architectureParameters: tf.Variable[];

  constructor(features: number, hidden: number, classes: number, seed: number) {
    const dense = (rows: number, columns: number, k: number) =>
      tf.variable(tf.randomNormal([rows, columns], 0, 1 / Math.sqrt(rows), 'float32', seed + k));
    this.weights = [dense(features, hidden, 0), dense(hidden, hidden, 1), dense(hidden, classes, 2), tf.variable(tf.zeros([classes]))];
    this.architectureParameters = [tf.variable(tf.randomNormal([2, 3], 0, 1, 'float32', seed + 3))];
  }

  loss(batch: SearchBatch): tf.Scalar {
    return tf.tidy(() => {
      const [w1, w2, w3, bias] = this.weights as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
      const mix = softmaxRows(this.architectureParameters[0] as tf.Variable);
      const mixed = (x: tf.Tensor, edge: number) => {
        const [a, b, c] = tf.unstack(mix[edge] as tf.Tensor);
        return tf.addN([tf.mul(a as tf.Tensor, tf.tanh(x)), tf.mul(b as tf.Tensor, tf.cos(x)), tf.mul(c as tf.Tensor, tf.square(x))]);
      };
      const x = tf.reshape(batch.images, [batch.images.shape[0], -1]);
      const h1 = mixed(tf.matMul(x, w1), 0);
      const h2 = mixed(tf.matMul(h1, w2), 1);
      const logits = tf.add(tf.matMul(h2, w3), bias);
      return tf.neg(tf.mean(tf.sum(tf.mul(batch.labels, tf.logSoftmax(logits)), -1))) as tf.Scalar;
    });
  }

  dispose(): void {
    tf.dispose([...this.weights, ...this.architectureParameters]);
  }
}

function softmaxRows(alpha: tf.Tensor): tf.Tensor[] {
  return tf.unstack(tf.softmax(alpha, -1));
}
