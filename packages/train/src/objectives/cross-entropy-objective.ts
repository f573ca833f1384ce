import type { ObjectiveSpec, OutputKind } from '@convkit/core';
import { weightedLoss } from '../train/loss.js';
import type { Objective, ObjectiveOptions } from './objective.js';

/** Name of the default objective. */
export const CROSS_ENTROPY = 'cross-entropy';

/** Weighted cross-entropy over all outputs with the run's label smoothing: the default objective. */
export function crossEntropyObjective(options: { kinds: OutputKind[]; lossWeights: number[]; labelSmoothing: number }): Objective {
  const { kinds, lossWeights, labelSmoothing } = options;
  return {
    name: CROSS_ENTROPY,
    loss: (outputs, batch) => weightedLoss(outputs, batch.labels, kinds, lossWeights, labelSmoothing),
  };
}

/** The registry entry of {@link crossEntropyObjective}. */
export const crossEntropySpec: ObjectiveSpec<Objective> = {
  name: CROSS_ENTROPY,
  description: 'cross-entropy against the labels (label smoothing and per-output loss weights apply)',
  create: (options) => {
    const { kinds, lossWeights, config } = options as unknown as ObjectiveOptions;
    return crossEntropyObjective({ kinds, lossWeights, labelSmoothing: config.labelSmoothing });
  },
};
