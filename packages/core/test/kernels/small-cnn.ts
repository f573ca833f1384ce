import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../../src/rng.js';

/** Parameter shapes of the 5-layer test CNN: conv, strided conv, depthwise, pointwise conv, dense. */
const SHAPES: Record<string, number[]> = {
  conv1: [3, 3, 3, 8],
  conv2: [3, 3, 8, 16],
  depthwise3: [3, 3, 16, 1],
  pointwise4: [1, 1, 16, 16],
  dense5: [8 * 8 * 16, 10],
};

/** Seeded, He-scaled parameter values, so every backend starts from the same numbers. */
export function cnnParameterValues(seed: number): Record<string, Float32Array> {
  const rng = createRng(seed);
  const values: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1) / (name.startsWith('depthwise') ? 16 : 1);
    const std = Math.sqrt(2 / fanIn);
    values[name] = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal(0, std));
  }
  return values;
}

export function cnnVariables(values: Record<string, Float32Array>): Record<string, tf.Variable> {
  const vars: Record<string, tf.Variable> = {};
  for (const [name, shape] of Object.entries(SHAPES)) vars[name] = tf.variable(tf.tensor(values[name] as Float32Array, shape), true, name);
  return vars;
}

/**
 * Mean softmax cross-entropy of the CNN on a batch of 32x32x3 images: conv-relu, strided conv-relu,
 * depthwise-relu, pointwise-relu, 2x2 max pooling, dense.
 */
export function cnnLoss(p: Record<string, tf.Tensor>, images: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  const w = (name: string) => p[name] as tf.Tensor4D;
  let h = tf.relu(tf.conv2d(images, w('conv1'), 1, 'same'));
  h = tf.relu(tf.conv2d(h, w('conv2'), 2, 'same'));
  h = tf.relu(tf.depthwiseConv2d(h, w('depthwise3'), 1, 'same'));
  h = tf.relu(tf.conv2d(h, w('pointwise4'), 1, 'valid'));
  h = tf.maxPool(h, 2, 2, 'valid');
  const logits = tf.matMul(tf.reshape(h, [images.shape[0], -1]) as tf.Tensor2D, p.dense5 as tf.Tensor2D);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

/** A fixed random batch: images from a seeded normal, one-hot labels from a seeded uniform. */
export function cnnBatch(seed: number, size: number): { images: Float32Array; labels: Float32Array } {
  const rng = createRng(seed);
  const images = Float32Array.from({ length: size * 32 * 32 * 3 }, () => rng.normal());
  const labels = new Float32Array(size * 10);
  for (let i = 0; i < size; i++) labels[i * 10 + rng.int(10)] = 1;
  return { images, labels };
}
