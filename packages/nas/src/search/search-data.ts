import { ConvkitError, type SeededRng } from '@convkit/core';
import { type ChannelStatistics, type ImageBatch, type LabeledImages, makeBatch, normalizeBatch } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import type { SearchBatch } from './search-batch.js';

/** The training set split for the bi-level search: weights learn from one half, alphas from the other. */
export interface SearchHalves {
  train: LabeledImages;
  validation: LabeledImages;
}

/** Splits `data` in two halves after a seeded shuffle (the reference's `train_portion` 0.5). */
export function splitHalves(data: LabeledImages, rng: SeededRng): SearchHalves {
  if (data.size < 2) {
    throw new ConvkitError('bad-dataset', `a search needs at least 2 training images (one per half); the dataset has ${data.size}`);
  }
  const order = rng.shuffle(Array.from({ length: data.size }, (_, i) => i));
  const half = Math.floor(data.size / 2);
  return { train: data.subset(order.slice(0, half)), validation: data.subset(order.slice(half)) };
}

function toTensors(batch: ImageBatch): SearchBatch {
  return {
    images: tf.tensor4d(batch.images, [batch.count, ...batch.shape]),
    labels: tf.tensor2d(batch.labels, [batch.count, batch.numClasses]),
  };
}

/**
 * The index pairs of one epoch: each half shuffled by `rng`, cut into full batches of `batchSize`
 * (a last partial batch is dropped, so every step sees the same batch size), the validation half
 * cycled if it gives fewer batches than the training half.
 */
export function epochPlan(halves: SearchHalves, batchSize: number, rng: SeededRng): { train: number[]; validation: number[] }[] {
  const batches = (data: LabeledImages) => {
    const order = rng.shuffle(Array.from({ length: data.size }, (_, i) => i));
    const out: number[][] = [];
    for (let start = 0; start + batchSize <= order.length; start += batchSize) out.push(order.slice(start, start + batchSize));
    return out;
  };
  const train = batches(halves.train);
  const validation = batches(halves.validation);
  if (train.length === 0 || validation.length === 0) {
    throw new ConvkitError(
      'bad-option',
      `batch size ${batchSize} is larger than a half of the training set (${Math.min(halves.train.size, halves.validation.size)} images); lower --batch-size`,
    );
  }
  return train.map((indices, i) => ({ train: indices, validation: validation[i % validation.length] as number[] }));
}

/** The normalized tensors of the images at `indices`. */
export function searchBatch(data: LabeledImages, indices: number[], statistics: ChannelStatistics): SearchBatch {
  return toTensors(normalizeBatch(makeBatch(data, indices), statistics));
}
