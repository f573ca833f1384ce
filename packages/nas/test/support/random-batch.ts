import * as tf from '@tensorflow/tfjs-core';
import type { SearchBatch } from '../../src/index.js';

/** A seeded batch of `size` random `side` x `side` x 3 images, labelled round-robin over `classes` from `seed`. */
export function randomBatch(seed: number, size: number, side: number, classes: number): SearchBatch {
  const labels = Array.from({ length: size }, (_, i) => (i + seed) % classes);
  return {
    images: tf.randomNormal([size, side, side, 3], 0, 1, 'float32', seed) as tf.Tensor4D,
    labels: tf.cast(tf.oneHot(labels, classes), 'float32') as tf.Tensor2D,
  };
}
