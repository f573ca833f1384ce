import { GraphEngine, type GraphState, type TrainGraphConfig } from '@convkit/core';
import type { LayersModel, LayerVariable } from '@tensorflow/tfjs-layers';
import type { OptimizerState } from './optimizer.js';
import type { StepEngine } from './step-engine.js';

/**
 * The session's starting variables: the model's current weights, and the momentum slots of
 * `optimizer` (a checkpoint's, in trainable-weight order) or zeros for a fresh run.
 */
function initialState(model: LayersModel, engineVariables: GraphEngine['variables'], optimizer: OptimizerState | undefined): GraphState {
  const weights = model.weights as LayerVariable[];
  const trainableIndex = new Map((model.trainableWeights as LayerVariable[]).map((w, i) => [w, i]));
  return engineVariables.map((v) => {
    const weight = weights[v.weight] as LayerVariable;
    if (v.kind === 'weight') return weight.read().dataSync() as Float32Array;
    const slot = optimizer?.slots[trainableIndex.get(weight) as number];
    return slot ? Float32Array.from(slot.values) : new Float32Array(v.shape.reduce((a, b) => a * b, 1));
  });
}

/**
 * The graph engine as a trainer's step engine: steps run in the session of {@link GraphEngine};
 * `sync` copies the session's weights (batch-norm statistics included) into the model, and
 * `getState` reads the momentum slots back from the session in the eager optimizer's layout, so a
 * checkpoint is the same files on either engine and resumes on either.
 */
export async function graphStepEngine(model: LayersModel, config: TrainGraphConfig, optimizer?: OptimizerState): Promise<StepEngine> {
  // The session's variables are known only once the step is compiled, so the engine starts from the
  // model's weights and zero slots and is given a checkpoint's slots before the first step.
  const engine = await GraphEngine.create(model, config);
  if (optimizer) engine.writeState(initialState(model, engine.variables, optimizer));
  let steps = optimizer?.step ?? 0;
  const weights = model.weights as LayerVariable[];
  const trainableIndex = new Map((model.trainableWeights as LayerVariable[]).map((w, i) => [w, i]));
  return {
    name: 'graph',
    step: async (batch, learningRate, rng) => {
      // Dropout's masks come from the run's generator, so a resumed run draws the same ones.
      const seed: [number, number] | undefined = engine.compiled.random ? [rng.int(2 ** 31), rng.int(2 ** 31)] : undefined;
      const result = await engine.step(batch.images, batch.labels, batch.count, learningRate, seed);
      steps += 1;
      return { ...result, applied: true };
    },
    sync: () => engine.writeBack(),
    getState: async () => {
      const state = await engine.readState();
      const slots: OptimizerState['slots'] = new Array(trainableIndex.size);
      engine.variables.forEach((v, i) => {
        if (v.kind === 'momentum')
          slots[trainableIndex.get(weights[v.weight] as LayerVariable) as number] = {
            shape: [...v.shape],
            values: state[i] as Float32Array,
          };
      });
      return { step: steps, slots };
    },
    dispose: () => engine.dispose(),
  };
}
