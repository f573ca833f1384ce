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
 * Variables of one shape, updated together: their weights, gradients and slots are stacked along a
 * new first axis (a single variable is used as it is), so one step costs the same handful of kernels
 * for the whole group instead of per variable. A ResNet-20 has 65 trainable variables in 13 shapes.
 */
interface ShapeGroup {
  /** Indices of the member variables in the order `apply` receives them. */
  members: number[];
  shape: number[];
  /** One stacked variable per slot kind (momentum; or Adam's first and second moments). */
  slots: tf.Variable[];
}

function stack(tensors: tf.Tensor[]): tf.Tensor {
  return tensors.length === 1 ? (tensors[0] as tf.Tensor) : tf.stack(tensors);
}

/**
 * An optimizer whose whole state is the step count and its slot variables, so a checkpoint restores
 * it exactly (tfjs's own Adam re-derives its bias-correction powers on restore, which changes the
 * low bits and breaks bit-identical resume). Bias corrections are computed in float64 from the step.
 * Variables of equal shape are updated as one stacked tensor (see {@link ShapeGroup}); every element
 * sees the same float32 operations as a per-variable update, so the results are bit-identical.
 */
export class Optimizer {
  private step = 0;
  private groups: ShapeGroup[] = [];
  /** A restored state whose slots wait for the first `apply`, which tells the variables' grouping. */
  private pending: OptimizerState['slots'] | undefined;

  constructor(readonly config: OptimizerConfig) {}

  private get slotsPerVariable(): number {
    return this.config.name === 'adam' || this.config.name === 'adamw' ? 2 : 1;
  }

  private makeGroups(variables: readonly tf.Variable[]): ShapeGroup[] {
    const byShape = new Map<string, ShapeGroup>();
    variables.forEach((variable, i) => {
      const key = `${variable.dtype}:${variable.shape.join('x')}`;
      const group = byShape.get(key) ?? { members: [], shape: [...variable.shape], slots: [] };
      group.members.push(i);
      byShape.set(key, group);
    });
    const perVariable = this.slotsPerVariable;
    const pending = this.pending;
    for (const group of byShape.values()) {
      const k = group.members.length;
      const shape = k === 1 ? group.shape : [k, ...group.shape];
      const size = group.shape.reduce((a, b) => a * b, 1);
      group.slots = Array.from({ length: perVariable }, (_, kind) => {
        if (!pending) return slotVariable(() => tf.zeros(shape));
        const values = new Float32Array(k * size);
        group.members.forEach((i, j) => {
          values.set((pending[i * perVariable + kind] as { values: Float32Array }).values, j * size);
        });
        return slotVariable(() => tf.tensor(values, shape, 'float32'));
      });
    }
    this.pending = undefined;
    return [...byShape.values()];
  }

  /** Applies one update of `variables` with `gradients` at `learningRate`. */
  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], learningRate: number): void {
    const adam = this.config.name === 'adam' || this.config.name === 'adamw';
    if (this.groups.length === 0) this.groups = this.makeGroups(variables);
    this.step += 1;
    const decay = this.config.weightDecay ?? 0;
    tf.tidy(() => {
      for (const group of this.groups) {
        const variable = stack(group.members.map((i) => variables[i] as tf.Variable));
        let gradient = stack(group.members.map((i) => gradients[i] as tf.Tensor));
        // Biases and normalization parameters (rank 1) are not decayed, as is common practice.
        const decayed = decay > 0 && group.shape.length > 1;
        if (decayed && this.config.name !== 'adamw') gradient = tf.add(gradient, tf.mul(variable, decay));
        const update = adam ? this.adamUpdate(group, gradient) : this.sgdUpdate(group, gradient);
        let next = tf.sub(variable, tf.mul(update, learningRate));
        if (decayed && this.config.name === 'adamw') next = tf.sub(next, tf.mul(variable, learningRate * decay));
        const parts = group.members.length === 1 ? [next] : tf.unstack(next);
        group.members.forEach((i, j) => {
          (variables[i] as tf.Variable).assign(parts[j] as tf.Tensor);
        });
      }
    });
  }

  // PyTorch's convention: v = mu v + g; step along v, or along g + mu v for Nesterov.
  private sgdUpdate(group: ShapeGroup, gradient: tf.Tensor): tf.Tensor {
    const momentum = this.config.momentum ?? 0.9;
    const velocity = group.slots[0] as tf.Variable;
    velocity.assign(tf.add(tf.mul(velocity, momentum), gradient));
    return this.config.name === 'nesterov' ? tf.add(gradient, tf.mul(velocity, momentum)) : velocity;
  }

  private adamUpdate(group: ShapeGroup, gradient: tf.Tensor): tf.Tensor {
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = this.config;
    const [m, v] = group.slots as [tf.Variable, tf.Variable];
    m.assign(tf.add(tf.mul(m, beta1), tf.mul(gradient, 1 - beta1)));
    v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(gradient), 1 - beta2)));
    const mHat = tf.div(m, 1 - beta1 ** this.step);
    const vHat = tf.div(v, 1 - beta2 ** this.step);
    return tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon));
  }

  /** A copy of the state (reads the slot values back from the backend): slots per variable, in variable order. */
  async getState(): Promise<OptimizerState> {
    if (this.pending) return { step: this.step, slots: this.pending.map((s) => ({ shape: [...s.shape], values: s.values.slice() })) };
    const perVariable = this.slotsPerVariable;
    const count = this.groups.reduce((n, g) => n + g.members.length, 0);
    const slots = new Array<OptimizerState['slots'][number]>(count * perVariable);
    for (const group of this.groups) {
      const size = group.shape.reduce((a, b) => a * b, 1);
      const data = await Promise.all(group.slots.map(async (slot) => (await slot.data()) as Float32Array));
      group.members.forEach((i, j) => {
        data.forEach((values, kind) => {
          slots[i * perVariable + kind] = { shape: [...group.shape], values: values.slice(j * size, (j + 1) * size) };
        });
      });
    }
    return { step: this.step, slots };
  }

  /** Restores a state taken by {@link Optimizer.getState}; its slots take effect at the next `apply`. */
  setState(state: OptimizerState): void {
    this.dispose();
    this.step = state.step;
    this.pending = state.slots.map((s) => ({ shape: [...s.shape], values: Float32Array.from(s.values) }));
  }

  /** Frees the slot variables. */
  dispose(): void {
    for (const group of this.groups) for (const slot of group.slots) slot.dispose();
    this.groups = [];
    this.pending = undefined;
  }
}
