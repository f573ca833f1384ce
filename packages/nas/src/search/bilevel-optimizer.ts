import { ConvkitError } from '@convkit/core';
import { clipByGlobalNorm, Optimizer, type OptimizerState } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import { firstOrderGradient, secondOrderGradient } from './architecture-gradient.js';
import { type BilevelModel, lossGradients } from './bilevel-model.js';
import type { SearchBatch } from './search-batch.js';

/** Hyper-parameters of the bi-level optimisation; the defaults are the paper's CIFAR-10 search. */
export interface BilevelConfig {
  /** 1: first-order (xi = 0); 2: second-order with the unrolled virtual step. */
  order: 1 | 2;
  /** Epochs of the search (the weights' cosine schedule spans them). */
  epochs: number;
  /** Weights' SGD: peak and final learning rate (0.025 -> 0.001), momentum 0.9, L2 3e-4, clip norm 5. */
  weightLearningRate?: number;
  weightMinLearningRate?: number;
  weightMomentum?: number;
  weightDecay?: number;
  clipNorm?: number;
  /** Alphas' Adam: learning rate 3e-4, betas (0.5, 0.999), L2 1e-3. */
  alphaLearningRate?: number;
  alphaBeta1?: number;
  alphaBeta2?: number;
  alphaDecay?: number;
  /**
   * A differentiable cost of the architecture parameters alone, added to the validation loss of the
   * architecture step (e.g. lambda times the expected latency, {@link expectedLatency}): its gradient
   * adds to the architecture gradient of either order, since it does not depend on the weights.
   */
  architecturePenalty?: (architectureParameters: tf.Variable[]) => tf.Scalar;
}

/** Both optimizers' states, for checkpoints. */
export interface BilevelState {
  weights: OptimizerState;
  alphas: OptimizerState;
}

/** Losses of one search step. */
export interface BilevelStepResult {
  trainLoss: number;
  /** The validation loss the architecture gradient saw (at w' in second order). */
  validationLoss: number;
}

/**
 * DARTS's alternating optimisation with two parameter groups: each step first updates the alphas by
 * Adam on a validation batch (the held-out half of the training set), then the weights by SGD with
 * momentum on a training batch, gradients clipped to a global norm, at a cosine learning rate per
 * epoch from the peak down to the minimum (the reference's `CosineAnnealingLR` with `eta_min`).
 */
export class BilevelOptimizer {
  readonly config: Required<Omit<BilevelConfig, 'architecturePenalty'>>;
  private readonly architecturePenalty: BilevelConfig['architecturePenalty'];
  private readonly weightOptimizer: Optimizer;
  private readonly alphaOptimizer: Optimizer;

  constructor(
    readonly model: BilevelModel,
    config: BilevelConfig,
  ) {
    if (config.order !== 1 && config.order !== 2) {
      throw new ConvkitError('bad-option', `DARTS order must be 1 or 2, got ${config.order}; use --order 1 (first order) or --order 2`);
    }
    if (!(Number.isInteger(config.epochs) && config.epochs > 0)) {
      throw new ConvkitError('bad-option', `search epochs must be a positive integer, got ${config.epochs}; try --epochs 50`);
    }
    const { architecturePenalty, ...rest } = config;
    this.architecturePenalty = architecturePenalty;
    this.config = {
      weightLearningRate: 0.025,
      weightMinLearningRate: 0.001,
      weightMomentum: 0.9,
      weightDecay: 3e-4,
      clipNorm: 5,
      alphaLearningRate: 3e-4,
      alphaBeta1: 0.5,
      alphaBeta2: 0.999,
      alphaDecay: 1e-3,
      ...rest,
    };
    const c = this.config;
    this.weightOptimizer = new Optimizer({ name: 'sgd', momentum: c.weightMomentum, weightDecay: c.weightDecay });
    this.alphaOptimizer = new Optimizer({ name: 'adam', beta1: c.alphaBeta1, beta2: c.alphaBeta2, weightDecay: c.alphaDecay });
  }

  /** The weights' learning rate during `epoch` (0-based). */
  weightLearningRate(epoch: number): number {
    const { weightLearningRate: peak, weightMinLearningRate: low, epochs } = this.config;
    return low + 0.5 * (peak - low) * (1 + Math.cos((Math.PI * epoch) / epochs));
  }

  /** One architecture update of the alphas from `validation` (and `train` for the virtual step); returns the validation loss. */
  async architectureStep(train: SearchBatch, validation: SearchBatch, epoch: number): Promise<number> {
    const velocity = this.config.order === 2 ? await this.momentumBuffers() : undefined;
    const loss = tf.tidy(() => {
      const alphas = this.model.architectureParameters;
      const { loss, gradients } =
        this.config.order === 1
          ? firstOrderGradient(this.model, validation)
          : secondOrderGradient(this.model, train, validation, {
              learningRate: this.weightLearningRate(epoch),
              momentum: this.config.weightMomentum,
              weightDecay: this.config.weightDecay,
              velocity,
            });
      this.alphaOptimizer.apply(alphas, this.withPenalty(alphas, gradients), this.config.alphaLearningRate);
      return loss;
    });
    tf.dispose(velocity);
    const value = (await loss.data())[0] as number;
    loss.dispose();
    return value;
  }

  /** The architecture gradients plus the penalty's (a parameter the penalty does not read gets none). */
  private withPenalty(alphas: tf.Variable[], gradients: tf.Tensor[]): tf.Tensor[] {
    const penalty = this.architecturePenalty;
    if (!penalty) return gradients;
    const { grads } = tf.variableGrads(() => penalty(alphas), alphas);
    return gradients.map((g, i) => {
      const extra = grads[(alphas[i] as tf.Variable).name];
      return extra ? tf.add(g, extra) : g;
    });
  }

  /** One SGD update of the weights from `train`; returns the training loss. */
  async weightStep(train: SearchBatch, epoch: number): Promise<number> {
    const loss = tf.tidy(() => {
      const weights = this.model.weights;
      const { value, gradients: raw } = lossGradients(this.model, train, weights);
      const gradients = clipByGlobalNorm(raw, this.config.clipNorm);
      this.weightOptimizer.apply(weights, gradients, this.weightLearningRate(epoch));
      return value;
    });
    const value = (await loss.data())[0] as number;
    loss.dispose();
    return value;
  }

  /** A search step as the reference orders it: the alphas first, then the weights. */
  async step(train: SearchBatch, validation: SearchBatch, epoch: number): Promise<BilevelStepResult> {
    const validationLoss = await this.architectureStep(train, validation, epoch);
    const trainLoss = await this.weightStep(train, epoch);
    return { trainLoss, validationLoss };
  }

  /**
   * A weights-only step (P-DARTS's warm-up epochs): the weights learn from `train` while the alphas
   * stay; the validation loss at the current alphas is still measured, so every epoch reports one.
   */
  async warmupStep(train: SearchBatch, validation: SearchBatch, epoch: number): Promise<BilevelStepResult> {
    const loss = tf.tidy(() => this.model.loss(validation));
    const validationLoss = (await loss.data())[0] as number;
    loss.dispose();
    const trainLoss = await this.weightStep(train, epoch);
    return { trainLoss, validationLoss };
  }

  /** The weight optimizer's momentum buffers, or undefined before its first step. */
  private async momentumBuffers(): Promise<tf.Tensor[] | undefined> {
    const { slots } = await this.weightOptimizer.getState();
    if (slots.length === 0) return undefined;
    return slots.map((s) => tf.tensor(s.values, s.shape, 'float32'));
  }

  /** Both optimizers' states (reads their slots back from the backend). */
  async getState(): Promise<BilevelState> {
    return { weights: await this.weightOptimizer.getState(), alphas: await this.alphaOptimizer.getState() };
  }

  /** Restores a state taken by {@link BilevelOptimizer.getState}. */
  setState(state: BilevelState): void {
    // an optimizer that never stepped (the alphas' through P-DARTS's warm-up) has no slots to restore,
    // and an empty restored state would stand in for the slots its first step must create
    if (state.weights.slots.length > 0) this.weightOptimizer.setState(state.weights);
    if (state.alphas.slots.length > 0) this.alphaOptimizer.setState(state.alphas);
  }

  /** Frees both optimizers' slots (the model stays). */
  dispose(): void {
    this.weightOptimizer.dispose();
    this.alphaOptimizer.dispose();
  }
}
