import { ConvkitError } from '@convkit/core';
import type { Genotype } from '../genotype.js';

/** How many of a genotype's chosen edges are `skip_connect`, per cell type. */
export interface SkipConnects {
  normal: number;
  reduce: number;
}

/** Counts the `skip_connect` edges of each cell of `genotype`. */
export function countSkipConnects(genotype: Genotype): SkipConnects {
  const skips = (cell: Genotype['normal']) => cell.filter(([op]) => op === 'skip_connect').length;
  return { normal: skips(genotype.normal), reduce: skips(genotype.reduce) };
}

/** Checks a `maxSkip` option: a positive integer, or absent for no guard. */
export function checkMaxSkip(maxSkip: number | undefined): void {
  if (maxSkip !== undefined && !(Number.isInteger(maxSkip) && maxSkip > 0)) {
    throw new ConvkitError(
      'bad-option',
      `max skip-connects must be a positive integer, got ${maxSkip}; try --max-skip 2 (DARTS+'s rule) or leave it out`,
    );
  }
}

/**
 * DARTS+'s early-stop rule (Liang et al. 2019, criterion 1): a search that keeps going drifts toward
 * parameter-free skip connections, because they make the one-shot network easiest to optimise while
 * the discrete cell they derive performs badly; so stop as soon as the derived normal cell has
 * `maxSkip` or more of them (DARTS+ uses 2). The reduction cell is not counted, as in DARTS+.
 */
export function skipCollapse(skips: SkipConnects, maxSkip: number | undefined): boolean {
  return maxSkip !== undefined && skips.normal >= maxSkip;
}
