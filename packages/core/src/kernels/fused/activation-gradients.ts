import * as tf from '@tensorflow/tfjs-core';

/** What an activation's one-kernel gradient reads besides `dy`: the forward input or its output. */
export type ActivationOperand = 'x' | 'y';

/** One activation whose gradient convkit runs as a single kernel. */
export interface FusedActivationGradient {
  /** The tfjs forward kernel (`Relu`). */
  forward: string;
  /** convkit's gradient kernel, inputs `dy` and `v` (`ConvkitReluGrad`). */
  kernel: string;
  /** TensorFlow's op computing the same (`ReluGrad`). */
  tensorflowOp: string;
  /** TensorFlow's operand order: `['dy', 'v']` (ReluGrad) or `['v', 'dy']` (SigmoidGrad, TanhGrad). */
  tensorflowOrder: readonly ['dy', 'v'] | readonly ['v', 'dy'];
  /** Whether `v` is the forward input or output. */
  operand: ActivationOperand;
}

/**
 * The activations whose tfjs gradients are chains of small ops (ReLU's is Step, Select, Fill,
 * Greater, IsNan and Multiply on tensorflow) and the one kernel that replaces each. ELU is absent:
 * tfjs already runs its gradient as one `EluGrad` kernel on every backend.
 */
export const FUSED_ACTIVATION_GRADIENTS: readonly FusedActivationGradient[] = [
  { forward: 'Relu', kernel: 'ConvkitReluGrad', tensorflowOp: 'ReluGrad', tensorflowOrder: ['dy', 'v'], operand: 'x' },
  { forward: 'Relu6', kernel: 'ConvkitRelu6Grad', tensorflowOp: 'Relu6Grad', tensorflowOrder: ['dy', 'v'], operand: 'x' },
  { forward: 'LeakyRelu', kernel: 'ConvkitLeakyReluGrad', tensorflowOp: 'LeakyReluGrad', tensorflowOrder: ['dy', 'v'], operand: 'x' },
  { forward: 'Selu', kernel: 'ConvkitSeluGrad', tensorflowOp: 'SeluGrad', tensorflowOrder: ['dy', 'v'], operand: 'y' },
  { forward: 'Sigmoid', kernel: 'ConvkitSigmoidGrad', tensorflowOp: 'SigmoidGrad', tensorflowOrder: ['v', 'dy'], operand: 'y' },
  { forward: 'Tanh', kernel: 'ConvkitTanhGrad', tensorflowOp: 'TanhGrad', tensorflowOrder: ['v', 'dy'], operand: 'y' },
];

/**
 * The gradient config that replaces tfjs's for `entry.forward`: one `entry.kernel` call where the
 * active backend has it, tfjs's own gradient (kept as `stock`) on any other backend (webgl, webgpu).
 * It saves what tfjs saved plus the forward output where the kernel reads it.
 */
export function fusedActivationGradient(entry: FusedActivationGradient, stock: tf.GradConfig): tf.GradConfig {
  const outputsToSave = entry.operand === 'y' ? [true] : stock.outputsToSave;
  return {
    kernelName: entry.forward,
    inputsToSave: stock.inputsToSave,
    outputsToSave,
    gradFunc: (dy, saved, attrs) => {
      if (!tf.getKernel(entry.kernel, tf.getBackend())) return stock.gradFunc(dy, saved, attrs);
      const v = (entry.operand === 'x' ? saved[0] : saved[saved.length - 1]) as tf.Tensor;
      return { x: () => tf.engine().runKernel(entry.kernel, { dy: dy as tf.Tensor, v }, attrs ?? {}) as tf.Tensor };
    },
  };
}

/**
 * Element loops of the activation gradients for the cpu and wasm backends, `dx[i]` from `dy[i]` and
 * `v[i]`. ReLU6 passes the gradient strictly inside (0, 6), as TensorFlow's Relu6Grad and PyTorch do.
 * The loops are branch-free: the sign of `v` is random in training, and a branch on it mispredicts
 * half the time (ReLU's gradient over 2^20 random values: 6.2 ms with a branch, 1.4 ms without, in
 * Node 20). ReLU and ReLU6 multiply `dy` by 0 or 1, as TensorFlow's ReluGrad and Relu6Grad and
 * tfjs's own gradients do, so every backend carries a non-finite `dy` alike, flat region included.
 */
export function activationGradientLoop(kernel: string, dy: Float32Array, v: Float32Array, dx: Float32Array, alpha: number): void {
  const n = dx.length;
  switch (kernel) {
    case 'ConvkitReluGrad':
      for (let i = 0; i < n; i++) dx[i] = (dy[i] as number) * +((v[i] as number) > 0);
      return;
    case 'ConvkitRelu6Grad':
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        dx[i] = (dy[i] as number) * (+(x > 0) & +(x < 6));
      }
      return;
    case 'ConvkitLeakyReluGrad': {
      const slopes = [alpha, 1];
      for (let i = 0; i < n; i++) dx[i] = (dy[i] as number) * (slopes[+((v[i] as number) > 0)] as number);
      return;
    }
    case 'ConvkitSeluGrad':
      // y > 0: scale; else d/dx of scale·α·(eˣ − 1) = scale·α·eˣ = y + scale·α. `positive` is 0 or 1,
      // so the blend below is exactly one of the two slopes.
      for (let i = 0; i < n; i++) {
        const y = v[i] as number;
        const positive = +(y > 0);
        dx[i] = (dy[i] as number) * (positive * SELU_SCALE + (1 - positive) * (y + SELU_SCALE * SELU_ALPHA));
      }
      return;
    case 'ConvkitSigmoidGrad':
      for (let i = 0; i < n; i++) {
        const y = v[i] as number;
        dx[i] = (dy[i] as number) * y * (1 - y);
      }
      return;
    case 'ConvkitTanhGrad':
      for (let i = 0; i < n; i++) {
        const y = v[i] as number;
        dx[i] = (dy[i] as number) * (1 - y * y);
      }
      return;
    default:
      throw new Error(`no element loop for the activation gradient ${kernel}`);
  }
}

/** SELU's constants (Klambauer et al. 2017), as tfjs and TensorFlow use them. */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;
