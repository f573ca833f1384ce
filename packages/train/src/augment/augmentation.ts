import type { SeededRng } from '@convkit/core';
import type { ImageBatch } from '../data/image-batch.js';

/**
 * A seeded batch transform applied to pixels in [0, 1] before normalization. It may modify the batch
 * in place and returns the batch to pass on; every random draw comes from `rng`, so a run with the
 * same seed (or resumed from a checkpoint's RNG state) sees the same augmented images.
 */
export interface Augmentation {
  /** Name as used in `--augment`, e.g. `crop`. */
  readonly name: string;
  apply(batch: ImageBatch, rng: SeededRng): ImageBatch;
}

/** Chains augmentations left to right into one. */
export function compose(augmentations: readonly Augmentation[]): Augmentation {
  return {
    name: augmentations.map((a) => a.name).join(','),
    apply: (batch, rng) => augmentations.reduce((current, augmentation) => augmentation.apply(current, rng), batch),
  };
}

/** The pixels of image `index` of a batch (a view). */
export function imageView(batch: ImageBatch, index: number): Float32Array {
  const size = batch.shape[0] * batch.shape[1] * batch.shape[2];
  return batch.images.subarray(index * size, (index + 1) * size);
}
