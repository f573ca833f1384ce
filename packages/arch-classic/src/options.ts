import { z } from 'zod';

/**
 * `widthMultiplier` option: scales every convolution's filters and every hidden fully connected
 * layer's units (each rounded, at least 1). 1 is the paper's network; small values give the same
 * topology at a fraction of the cost, for tests and quick experiments.
 */
export const widthMultiplierOption = z.number().positive().default(1);

/** `dropout` option: the drop rate of the classifier's dropout layers, `0` to leave them out. */
export function dropoutOption(paperRate: number) {
  return z.number().min(0).lt(1).default(paperRate);
}

/** `auxLogits` option: also output the auxiliary classifiers' logits, for training. */
export const auxLogitsOption = z.boolean().default(false);

/** `channels` scaled by `multiplier`, rounded, and never below one. */
export function scaleWidth(channels: number, multiplier: number): number {
  return Math.max(1, Math.round(channels * multiplier));
}
