import { ConvkitError } from '@convkit/core';
import { allCandidateOps } from '../candidate-ops.js';
import type { AlphaValues } from '../search-network.js';

/**
 * Per edge of both cells (normal first), the columns of its candidates other than `none`, strongest
 * alpha first (the earlier column wins a tie): the order DARTS+'s second criterion watches.
 */
export function alphaRanking(alphas: Pick<AlphaValues, 'normal' | 'reduce' | 'ops'>): number[][] {
  const ops = alphas.ops ?? allCandidateOps();
  const rank = (alpha: number[][], names: string[][]) =>
    alpha.map((row, e) =>
      row
        .map((value, k) => ({ value, k }))
        .filter(({ k }) => names[e]?.[k] !== 'none')
        .sort((a, b) => b.value - a.value || a.k - b.k)
        .map(({ k }) => k),
    );
  return [...rank(alphas.normal, ops.normal), ...rank(alphas.reduce, ops.reduce)];
}

/** Whether two rankings of {@link alphaRanking} are the same. */
export function sameRanking(a: number[][], b: number[][]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Checks a `stableEpochs` option: a positive integer, or absent for no rule. */
export function checkStableEpochs(stableEpochs: number | undefined): void {
  if (stableEpochs !== undefined && !(Number.isInteger(stableEpochs) && stableEpochs > 0)) {
    throw new ConvkitError(
      'bad-option',
      `stable epochs must be a positive integer, got ${stableEpochs}; try --stable-epochs 10 (DARTS+'s rule) or leave it out`,
    );
  }
}

/**
 * DARTS+'s second early-stop rule (Liang et al. 2019, criterion 2): once the ranking of the ops on
 * every edge has not changed for `stableEpochs` epochs of alpha training, more epochs would only
 * drift the one-shot network toward skip connections without changing the derived cell, so stop.
 * `unchanged` counts the epochs in a row whose ranking equals the one before them.
 */
export function rankingSettled(unchanged: number, stableEpochs: number | undefined): boolean {
  return stableEpochs !== undefined && unchanged >= stableEpochs;
}
