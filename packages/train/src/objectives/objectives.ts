import type { ObjectiveSpec } from '@convkit/core';
import { CROSS_ENTROPY, crossEntropySpec } from './cross-entropy-objective.js';
import { DISTILLATION, distillationSpec } from './distillation-objective.js';
import type { Objective, ObjectiveOptions } from './objective.js';

/** The objectives @convkit/train contributes to the registry. */
export const OBJECTIVES: readonly ObjectiveSpec<Objective>[] = [crossEntropySpec, distillationSpec];

/** The objective a run uses: `--objective` when given, else distillation when a teacher is, else cross-entropy. */
export function objectiveName(config: { objective: string | null; teacher: string | null }): string {
  return config.objective ?? (config.teacher ? DISTILLATION : CROSS_ENTROPY);
}

/** Creates the run's objective from the registry (convkit's and any plugin's). */
export async function createObjective(options: ObjectiveOptions): Promise<Objective> {
  const spec = options.registry.objectives.get(objectiveName(options.config)).value;
  return (await spec.create(options as unknown as Record<string, unknown>)) as Objective;
}
