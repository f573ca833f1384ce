import type { SeededRng } from '@convkit/core';
import type { ImageBatch } from '../data/image-batch.js';
import type { DynamicLossScaler } from '../techniques/loss-scaler.js';
import type { OptimizerState } from './optimizer.js';
import type { TrainConfig } from './train-config.js';
import { type StepContext, type StepResult, trainStep } from './train-step.js';

/** The execution engines a run can train on. */
export const ENGINE_NAMES = ['graph', 'eager'] as const;
/** One of {@link ENGINE_NAMES}. */
export type EngineName = (typeof ENGINE_NAMES)[number];

/**
 * What runs a run's optimizer steps: the eager engine (tfjs op by op, on the model's own variables)
 * or the graph engine (the whole step as one TensorFlow graph whose session holds the weights).
 * The training loop, checkpoints and evaluation see only this.
 */
export interface StepEngine {
  readonly name: EngineName;
  /** One optimizer step on a normalized batch. */
  step(batch: ImageBatch, learningRate: number, rng: SeededRng): Promise<StepResult>;
  /** Makes the model's variables hold the current weights (before validation, callbacks, saving). */
  sync(): Promise<void>;
  /** The optimizer's step count and slots, per trainable weight in model order, for a checkpoint. */
  getState(): Promise<OptimizerState>;
  dispose(): void;
}

/** The eager engine: {@link trainStep} on the model's variables with convkit's optimizer. */
export function eagerStepEngine(context: StepContext): StepEngine {
  return {
    name: 'eager',
    step: (batch, learningRate, rng) => trainStep(context, batch, learningRate, rng),
    sync: async () => {},
    getState: () => context.optimizer.getState(),
    dispose: () => context.optimizer.dispose(),
  };
}

/** The eager engine of a run: its model, optimizer, objective and loss scaler, with clipping and precision from its config. */
export function eagerStepEngineFor(
  config: Pick<TrainConfig, 'clipNorm' | 'precision'>,
  parts: Pick<StepContext, 'model' | 'optimizer' | 'objective'> & { lossScaler: DynamicLossScaler | undefined },
): StepEngine {
  return eagerStepEngine({
    ...parts,
    clipNorm: config.clipNorm ?? undefined,
    float16Gradients: config.precision === 'fp16',
  });
}
