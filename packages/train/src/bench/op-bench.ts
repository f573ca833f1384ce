import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Timing, type TimingOptions, timeStep } from './timing.js';

/** The single ops `benchOp` measures. */
export const BENCH_OPS = ['conv2d', 'depthwise-conv2d', 'separable-conv2d', 'max-pool', 'avg-pool', 'dense', 'relu', 'add'] as const;
/** One of {@link BENCH_OPS}. */
export type BenchOpName = (typeof BENCH_OPS)[number];

/**
 * One op at given shapes: an NHWC `input` (a `[batch, features]` matrix for `dense`), and for
 * convolutions and pools the window; `filters` is the output channels (units for `dense`).
 */
export interface OpShape {
  op: BenchOpName;
  input: number[];
  filters?: number;
  kernel?: number;
  stride?: number;
  dilation?: number;
  /** `forward`, or `forward-backward` (the forward plus the gradients of every input). Default forward. */
  mode?: 'forward' | 'forward-backward';
}

/** One op's measurement. */
export interface OpTiming extends Timing {
  op: BenchOpName;
  shape: OpShape;
  backend: string;
}

type OpFunction = (inputs: tf.Tensor[]) => tf.Tensor;

interface OpRecipe {
  /** Shapes of the op's inputs, the data first. */
  inputs(s: Required<Omit<OpShape, 'mode'>>): number[][];
  apply(s: Required<Omit<OpShape, 'mode'>>): OpFunction;
}

const channels = (s: { input: number[] }) => s.input[3] as number;

// The ops as data: what tensors each takes, and the tfjs call; `benchOp` times any row the same way.
const RECIPES: Record<BenchOpName, OpRecipe> = {
  conv2d: {
    inputs: (s) => [s.input, [s.kernel, s.kernel, channels(s), s.filters]],
    apply:
      (s) =>
      ([x, w]) =>
        tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s.stride, 'same', 'NHWC', s.dilation),
  },
  'depthwise-conv2d': {
    inputs: (s) => [s.input, [s.kernel, s.kernel, channels(s), 1]],
    apply:
      (s) =>
      ([x, w]) =>
        tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, s.stride, 'same', 'NHWC', s.dilation),
  },
  'separable-conv2d': {
    inputs: (s) => [s.input, [s.kernel, s.kernel, channels(s), 1], [1, 1, channels(s), s.filters]],
    apply:
      (s) =>
      ([x, d, p]) =>
        tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, s.stride, 'same', s.dilation),
  },
  'max-pool': {
    inputs: (s) => [s.input],
    apply:
      (s) =>
      ([x]) =>
        tf.maxPool(x as tf.Tensor4D, s.kernel, s.stride, 'same'),
  },
  'avg-pool': {
    inputs: (s) => [s.input],
    apply:
      (s) =>
      ([x]) =>
        tf.avgPool(x as tf.Tensor4D, s.kernel, s.stride, 'same'),
  },
  dense: {
    inputs: (s) => [s.input, [s.input[1] as number, s.filters]],
    apply:
      () =>
      ([x, w]) =>
        tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
  },
  relu: {
    inputs: (s) => [s.input],
    apply:
      () =>
      ([x]) =>
        tf.relu(x as tf.Tensor),
  },
  add: {
    inputs: (s) => [s.input, s.input],
    apply:
      () =>
      ([a, b]) =>
        tf.add(a as tf.Tensor, b as tf.Tensor),
  },
};

function checkShape(shape: OpShape): Required<Omit<OpShape, 'mode'>> {
  if (!BENCH_OPS.includes(shape.op)) {
    throw new ConvkitError('bad-option', `unknown op "${shape.op}"; measurable ops: ${BENCH_OPS.join(', ')}`);
  }
  const rank = shape.op === 'dense' ? 2 : shape.op === 'relu' || shape.op === 'add' ? shape.input.length : 4;
  if (shape.input.length !== rank || shape.input.some((d) => !(Number.isInteger(d) && d > 0))) {
    throw new ConvkitError(
      'bad-option',
      `${shape.op} input ${shape.input.join('x')} is invalid; expected ${rank === 2 ? 'BATCHxFEATURES' : 'NxHxWxC'} positive integers, e.g. ${rank === 2 ? '64x512' : '8x32x32x64'}`,
    );
  }
  return { filters: channels(shape) || (shape.input[1] as number), kernel: 3, stride: 1, dilation: 1, ...shape };
}

/**
 * Times one op at the given shapes on the active backend (`initBackend` first): random inputs, a
 * warm-up, then the median of repeated calls, each read back so asynchronous backends are timed to
 * completion. `forward-backward` adds the gradients of every input. The NAS latency table and
 * `convkit bench --op` call this.
 */
export async function benchOp(shape: OpShape, options: TimingOptions = {}): Promise<OpTiming> {
  const full = checkShape(shape);
  const recipe = RECIPES[full.op];
  const inputs = recipe.inputs(full).map((s) => tf.randomNormal(s));
  const op = recipe.apply(full);
  const backward = shape.mode === 'forward-backward';
  const gradients = tf.grads((...xs: tf.Tensor[]) => op(xs));
  const step = async () => {
    const outputs = tf.tidy(() => (backward ? gradients(inputs) : [op(inputs)]));
    await Promise.all(outputs.map((t) => t.data()));
    tf.dispose(outputs);
  };
  try {
    return { op: full.op, shape: { ...full, mode: shape.mode ?? 'forward' }, backend: tf.getBackend(), ...(await timeStep(step, options)) };
  } finally {
    tf.dispose(inputs);
  }
}
