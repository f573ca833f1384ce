import * as tf from '@tensorflow/tfjs-core';

/** The optimizers the trainer offers. */
export const OPTIMIZER_NAMES = ['sgd', 'nesterov', 'adam', 'adamw'] as const;
/** One of {@link OPTIMIZER_NAMES}. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Hyper-parameters of an optimizer; the learning rate is set per step by the schedule. */
export interface OptimizerConfig {
  name: OptimizerName;
  /** SGD momentum (default 0.9). */
  momentum?: number;
  /** L2 penalty (coupled; sgd, nesterov, adam) or decoupled decay (adamw). Applied to kernels only. */
  weightDecay?: number;
  /** Adam moment decay rates (default 0.9, 0.999) and epsilon (default 1e-8). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

// tf.variable shares its initial tensor's data and keeps that tensor alive: disposing the variable
// alone would leave the initial tensor (and its buffer) behind, so it is made and released in a tidy.
function slotVariable(initial: () => tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.variable(initial(), false));
}

/** The optimizer's state as plain data, for checkpoints. */
export interface OptimizerState {
  step: number;
  /** Slot tensors (momentum buffers, Adam moments), in variable order. */
  slots: { shape: number[]; values: Float32Array }[];
}

/**
 * An optimizer whose whole state is the step count and its slot variables, so a checkpoint restores
 * it exactly (tfjs's own Adam re-derives its bias-correction powers on restore, which changes the
 * low bits and breaks bit-identical resume). Bias corrections are computed in float64 from the step.
 */
export class Optimizer {
  private step = 0;
  private slots: tf.Variable[] = [];

  constructor(readonly config: OptimizerConfig) {}

  /** Applies one update of `variables` with `gradients` at `learningRate`. */
  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], learningRate: number): void {
    const adam = this.config.name === 'adam' || this.config.name === 'adamw';
    if (this.slots.length === 0) {
      const perVariable = adam ? 2 : 1;
      this.slots = variables.flatMap((v) => Array.from({ length: perVariable }, () => slotVariable(() => tf.zerosLike(v))));
    }
    this.step += 1;
    const decay = this.config.weightDecay ?? 0;
    tf.tidy(() => {
      variables.forEach((variable, i) => {
        // Biases and normalization parameters (rank 1) are not decayed, as is common practice.
        const decayed = decay > 0 && variable.rank > 1;
        let gradient = gradients[i] as tf.Tensor;
        if (decayed && this.config.name !== 'adamw') gradient = tf.add(gradient, tf.mul(variable, decay));
        const update = adam ? this.adamUpdate(i, gradient) : this.sgdUpdate(i, gradient);
        let next = tf.sub(variable, tf.mul(update, learningRate));
        if (decayed && this.config.name === 'adamw') next = tf.sub(next, tf.mul(variable, learningRate * decay));
        variable.assign(next);
      });
    });
  }

  // PyTorch's convention: v = mu v + g; step along v, or along g + mu v for Nesterov.
  private sgdUpdate(i: number, gradient: tf.Tensor): tf.Tensor {
    const momentum = this.config.momentum ?? 0.9;
    const velocity = this.slots[i] as tf.Variable;
    velocity.assign(tf.add(tf.mul(velocity, momentum), gradient));
    return this.config.name === 'nesterov' ? tf.add(gradient, tf.mul(velocity, momentum)) : velocity;
  }

  private adamUpdate(i: number, gradient: tf.Tensor): tf.Tensor {
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = this.config;
    const m = this.slots[2 * i] as tf.Variable;
    const v = this.slots[2 * i + 1] as tf.Variable;
    m.assign(tf.add(tf.mul(m, beta1), tf.mul(gradient, 1 - beta1)));
    v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(gradient), 1 - beta2)));
    const mHat = tf.div(m, 1 - beta1 ** this.step);
    const vHat = tf.div(v, 1 - beta2 ** this.step);
    return tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon));
  }

  /** A copy of the state (reads the slot values back from the backend). */
  async getState(): Promise<OptimizerState> {
    const slots = await Promise.all(this.slots.map(async (s) => ({ shape: [...s.shape], values: (await s.data()) as Float32Array })));
    return { step: this.step, slots };
  }

  /** Restores a state taken by {@link Optimizer.getState}. */
  setState(state: OptimizerState): void {
    this.dispose();
    this.step = state.step;
    this.slots = state.slots.map((s) => slotVariable(() => tf.tensor(s.values, s.shape, 'float32')));
  }

  /** Frees the slot variables. */
  dispose(): void {
    for (const slot of this.slots) slot.dispose();
    this.slots = [];
  }
}
