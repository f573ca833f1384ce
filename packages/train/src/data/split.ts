import { ConvkitError, type SeededRng } from '@convkit/core';
import type { LabeledImages } from './labeled-images.js';

/** A training set divided into the part trained on and the part used for validation. */
export interface TrainValidationSplit {
  train: LabeledImages;
  /** Undefined when the fraction is 0. */
  validation: LabeledImages | undefined;
}

/** Holds out a seeded random `fraction` (0 <= fraction < 1) of `data` for validation. */
export function splitValidation(data: LabeledImages, fraction: number, rng: SeededRng): TrainValidationSplit {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new ConvkitError('bad-option', `validation fraction must be in [0, 1), got ${fraction}`);
  }
  if (fraction === 0) return { train: data, validation: undefined };
  const { kept, heldOut } = holdOut(data, fraction, rng);
  return { train: kept, validation: heldOut };
}

/**
 * Shuffles `data`'s indices with `rng` and holds out the first `max(1, round(size * fraction))` of
 * them: the validation split of a training set, and the test split of an image folder that has no
 * `test/` subfolder.
 */
export function holdOut(data: LabeledImages, fraction: number, rng: SeededRng): { kept: LabeledImages; heldOut: LabeledImages } {
  const order = rng.shuffle(Array.from({ length: data.size }, (_, i) => i));
  const count = Math.max(1, Math.round(data.size * fraction));
  return { kept: data.subset(order.slice(count)), heldOut: data.subset(order.slice(0, count)) };
}
