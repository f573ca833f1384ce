import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ProgressiveResize } from '../techniques/progressive-resize.js';
import type { OptimizerState } from './optimizer.js';
import type { StepEngine } from './step-engine.js';

/**
 * The graph engine under progressive resizing. A graph is compiled for one input size, so each size
 * gets its own: when a batch of a new size arrives, the current session's weights are written back
 * into the (shared) model variables, its momentum slots read out, and a session for the model's view
 * at the new size opened from them. `open` compiles one size's engine from a model and optimizer state.
 */
export async function resizingGraphEngine(
  resize: ProgressiveResize,
  firstSize: number,
  open: (model: LayersModel, optimizer: OptimizerState | undefined) => Promise<StepEngine>,
  optimizer: OptimizerState | undefined,
): Promise<StepEngine> {
  let size = firstSize;
  let current = await open(resize.modelAt(size), optimizer);
  return {
    name: current.name,
    step: async (batch, learningRate, rng) => {
      if (batch.shape[0] !== size) {
        await current.sync();
        const state = await current.getState();
        current.dispose();
        size = batch.shape[0];
        current = await open(resize.modelAt(size), state);
      }
      return current.step(batch, learningRate, rng);
    },
    sync: () => current.sync(),
    getState: () => current.getState(),
    dispose: () => current.dispose(),
  };
}
