import { GraphEngine, type GraphState, slotKinds, type TrainGraphConfig } from '@convkit/core';
import type { LayersModel, LayerVariable } from '@tensorflow/tfjs-layers';
import type { OptimizerState } from './optimizer.js';
import type { StepEngine } from './step-engine.js';

/**
 * Where each session variable's slot sits in the eager optimizer's state (slots per trainable weight,
 * in trainable-weight order), or undefined for a weight.
 */
function slotIndices(model: LayersModel, engine: GraphEngine, config: TrainGraphConfig): (number | undefined)[] {
  const weights = model.weights as LayerVariable[];
  const trainableIndex = new Map((model.trainableWeights as LayerVariable[]).map((w, i) => [w, i]));
  const kinds = slotKinds(config.optimizer.name);
  return engine.variables.map((v) =>
    v.kind === 'weight'
      ? undefined
      : (trainableIndex.get(weights[v.weight] as LayerVariable) as number) * kinds.length + kinds.indexOf(v.kind),
  );
}

/**
 * The session's starting variables: the model's current weights, and the optimizer slots of
 * `optimizer` (a checkpoint's) or zeros for a fresh run.
 */
function initialState(
  model: LayersModel,
  engine: GraphEngine,
  slots: (number | undefined)[],
  optimizer: OptimizerState | undefined,
): GraphState {
  const weights = model.weights as LayerVariable[];
  return engine.variables.map((v, i) => {
    const at = slots[i];
    if (at === undefined) return (weights[v.weight] as LayerVariable).read().dataSync() as Float32Array;
    const slot = optimizer?.slots[at];
    return slot ? Float32Array.from(slot.values) : new Float32Array(v.shape.reduce((a, b) => a * b, 1));
  });
}

/**
 * The graph engine as a trainer's step engine: steps run in the session of {@link GraphEngine};
 * `sync` copies the session's weights (batch-norm statistics included) into the model, and
 * `getState` reads the optimizer slots back from the session in the eager optimizer's layout, so a
 * checkpoint is the same files on either engine and resumes on either.
 */
export async function graphStepEngine(model: LayersModel, config: TrainGraphConfig, optimizer?: OptimizerState): Promise<StepEngine> {
  // The session's variables are known only once the step is compiled, so the engine starts from the
  // model's weights and zero slots and is given a checkpoint's slots before the first step.
  const engine = await GraphEngine.create(model, config);
  const slots = slotIndices(model, engine, config);
  if (optimizer) engine.writeState(initialState(model, engine, slots, optimizer));
  engine.optimizerSteps = optimizer?.step ?? 0;
  return {
    name: 'graph',
    step: async (batch, learningRate, rng) => {
      // Dropout's masks come from the run's generator, so a resumed run draws the same ones.
      const seed: [number, number] | undefined = engine.compiled.random ? [rng.int(2 ** 31), rng.int(2 ** 31)] : undefined;
      const result = await engine.step(batch.images, batch.labels, batch.count, learningRate, seed);
      return { ...result, applied: true };
    },
    sync: () => engine.writeBack(),
    getState: async () => {
      const state = await engine.readState();
      const optimizerSlots: OptimizerState['slots'] = [];
      engine.variables.forEach((v, i) => {
        const at = slots[i];
        if (at !== undefined) optimizerSlots[at] = { shape: [...v.shape], values: state[i] as Float32Array };
      });
      return { step: engine.optimizerSteps, slots: optimizerSlots };
    },
    dispose: () => engine.dispose(),
  };
}
