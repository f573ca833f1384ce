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
  const order = rng.shuffle(Array.from({ length: data.size }, (_, i) => i));
  const count = Math.max(1, Math.round(data.size * fraction));
  return { train: data.subset(order.slice(count)), validation: data.subset(order.slice(0, count)) };
}
