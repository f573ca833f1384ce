import type { ImageShape, LabeledImages } from './labeled-images.js';
import type { ChannelStatistics } from './normalization.js';

/**
 * One batch as float32, the only float form of the data: NHWC pixels and per-class label weights
 * (one-hot, or soft after mixup), both row-major.
 */
export interface ImageBatch {
  /** `count * h * w * c` pixel values. */
  images: Float32Array;
  /** `count * numClasses` label weights; each row sums to 1. */
  labels: Float32Array;
  count: number;
  shape: ImageShape;
  numClasses: number;
}

/** Builds the float32 batch of the images at `indices`, with pixels scaled to [0, 1] and one-hot labels. */
export function makeBatch(data: LabeledImages, indices: ArrayLike<number>): ImageBatch {
  const size = data.imageSize;
  const images = new Float32Array(indices.length * size);
  const labels = new Float32Array(indices.length * data.numClasses);
  for (let i = 0; i < indices.length; i++) {
    const source = indices[i] as number;
    const pixels = data.pixels(source);
    const offset = i * size;
    for (let p = 0; p < size; p++) images[offset + p] = (pixels[p] as number) / 255;
    labels[i * data.numClasses + (data.labels[source] as number)] = 1;
  }
  return { images, labels, count: indices.length, shape: data.shape, numClasses: data.numClasses };
}

/**
 * Streams `data` in `order` as float32 batches of `batchSize` (the last one may be smaller), so at
 * most one batch of floats exists per step.
 */
export function* streamBatches(data: LabeledImages, order: ArrayLike<number>, batchSize: number): Generator<ImageBatch> {
  for (let start = 0; start < order.length; start += batchSize) {
    const end = Math.min(start + batchSize, order.length);
    yield makeBatch(data, Array.prototype.slice.call(order, start, end) as number[]);
  }
}

/** Normalizes a batch in place with per-channel statistics: `(x - mean) / std`. */
export function normalizeBatch(batch: ImageBatch, statistics: ChannelStatistics): ImageBatch {
  const channels = batch.shape[2];
  const images = batch.images;
  for (let i = 0; i < images.length; i++) {
    const c = i % channels;
    images[i] = ((images[i] as number) - (statistics.mean[c] as number)) / (statistics.std[c] as number);
  }
  return batch;
}
