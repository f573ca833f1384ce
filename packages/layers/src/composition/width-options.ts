import { z } from 'zod';

/**
 * `widthMultiplier` option: scales every convolution's filters and every hidden fully connected
 * layer's units (each rounded, at least 1; see {@link scaleWidth}). 1 is the paper's network; small
 * values give the same topology at a fraction of the cost, for tests and quick experiments.
 */
export const widthMultiplierOption = z.number().positive().default(1);

/** `dropout` option: the drop rate of the classifier's dropout layers, `0` to leave them out. */
export function dropoutOption(paperRate: number) {
  return z.number().min(0).lt(1).default(paperRate);
}

/**
 * `dropPath` option: stochastic depth (Huang et al. 2016) as timm's `drop_path_rate`, the drop rate
 * of the last residual block; block `i` of `n` drops its branch with `dropPath * i / (n - 1)`.
 * Default 0: no drop-path layers at all.
 */
export const dropPathOption = z.number().min(0).lt(1).default(0);

/** `channels` scaled by `multiplier`, rounded, and never below one. */
export function scaleWidth(channels: number, multiplier: number): number {
  return Math.max(1, Math.round(channels * multiplier));
}

/** The drop-path rate of block `index` (0-based) of `count` when the last one drops `rate` (timm's linear rule). */
export function dropPathRate(rate: number, index: number, count: number): number {
  return count > 1 ? (rate * index) / (count - 1) : rate;
}
