import { SeededRng } from '@convkit/core';
import type { SearchRange, SweepConfig, TrialKey, TrialOptions } from './sweep-config.js';

function product(grid: SweepConfig['grid']): TrialOptions[] {
  let rows: TrialOptions[] = [{}];
  for (const [key, values] of Object.entries(grid) as [TrialKey, unknown[]][])
    rows = rows.flatMap((row) => values.map((value) => ({ ...row, [key]: value })));
  return rows;
}

function sample(range: SearchRange, rng: SeededRng): unknown {
  if (Array.isArray(range)) return range[rng.int(range.length)];
  if ('uniform' in range) return rng.uniform(range.uniform[0], range.uniform[1]);
  if ('int' in range) return range.int[0] + rng.int(range.int[1] - range.int[0] + 1);
  const [low, high] = range.logUniform.map(Math.log) as [number, number];
  return Math.exp(rng.uniform(low, high));
}

function randomSamples(random: NonNullable<SweepConfig['random']>): TrialOptions[] {
  const rng = new SeededRng(random.seed);
  const keys = Object.keys(random.space) as TrialKey[];
  return Array.from({ length: random.trials }, () =>
    Object.fromEntries(keys.map((key) => [key, sample(random.space[key] as SearchRange, rng)])),
  );
}

/**
 * The trials of a sweep, in a fixed order: each variant (architecture or genotype) crossed with the
 * grid's combinations, or with the random search's samples (drawn from its seed, so a sweep
 * re-read gives the same trials), each laid over `base`; a variant's own keys win.
 */
export function expandTrials(config: SweepConfig): TrialOptions[] {
  const points = config.random
    ? product(config.grid).flatMap((row) => randomSamples(config.random!).map((s) => ({ ...row, ...s })))
    : product(config.grid);
  const variants = config.variants.length > 0 ? config.variants : [{}];
  // A variant is a row the user wrote out: it wins over the grid's or the search's value of a key it names.
  return variants.flatMap((variant) => points.map((point) => ({ ...config.base, ...point, ...variant })));
}
