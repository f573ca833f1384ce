import { attr, type TfGraph } from './tf-graph.js';

/** A float32 input of the train signature read from the model at each step (a drop-path layer's current rate). */
export interface StepScalar {
  key: string;
  read: () => number;
}

/** {@link stepInputs}: what a lowering asks for at each step, and what the session must then be fed. */
export interface StepInputs {
  /** The int32 pair placeholder the random ops' seeds derive from. */
  seed: string;
  /** A fresh seed pair for one random op: the step's pair offset by the op's own index, so no two share a draw. */
  randomSeed(): string;
  /** A float32 scalar placeholder fed at every step from `read()`; `name` labels its node. */
  stepScalar(name: string, read: () => number): string;
  /** How many random ops asked for a seed (0: the step takes no seed). */
  readonly randomOps: number;
  /** The scalars asked for, with their placeholders, by signature input key. */
  readonly scalars: readonly (StepScalar & { tensor: string })[];
}

/**
 * The per-step inputs of a lowered model, shared by the training step and the test forward pass so
 * that both seed their random ops, and feed their step scalars, by the same rule.
 */
export function stepInputs(graph: TfGraph): StepInputs {
  const seed = graph.op('Placeholder', [], { dtype: attr.type('int32'), shape: attr.shape([2]) }, { name: 'seed' });
  const scalars: (StepScalar & { tensor: string })[] = [];
  let randomOps = 0;
  return {
    seed,
    randomSeed: () => {
      randomOps += 1;
      return graph.op('AddV2', [seed, graph.ints([0, randomOps])], { T: attr.type('int32') }, { name: `seed/${randomOps}` });
    },
    stepScalar: (name, read) => {
      const key = `step_scalar_${scalars.length}`;
      const tensor = graph.op('Placeholder', [], { dtype: attr.type('float32'), shape: attr.shape([]) }, { name: `${key}/${name}` });
      scalars.push({ key, read, tensor });
      return tensor;
    },
    get randomOps() {
      return randomOps;
    },
    scalars,
  };
}
