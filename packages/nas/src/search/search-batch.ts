import * as tf from '@tensorflow/tfjs-core';

/** One batch of NHWC images with one-hot labels, as tensors the search keeps until it disposes them. */
export interface SearchBatch {
  images: tf.Tensor4D;
  labels: tf.Tensor2D;
}

/** Frees a batch's tensors. */
export function disposeBatch(batch: SearchBatch): void {
  tf.dispose([batch.images, batch.labels]);
}
