import * as tf from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';
import { createRng } from '../rng.js';
import { maxRelativeError, numericGradient } from './numeric-gradient.js';

/**
 * Largest relative gradient error a check accepts: 1e-3, so a gradient wrong by 1% fails. The
 * analytic gradients run in float32 and the central differences sum the float32 outputs in float64;
 * the errors measured across the layer suite on cpu, wasm and tensorflow stay below 1.3e-4.
 */
export const GRADIENT_TOLERANCE = 1e-3;

/** Relative errors of the analytic gradients against central differences, by tensor (`input`, then weight names). */
export type GradientErrors = Record<string, number>;

/** Options of {@link gradientErrors}. */
export interface GradientCheckOptions {
  /** Seed of the input, weights and output projection. */
  seed?: number;
  /**
   * Central-difference step (default 1e-3): small enough that the truncation error (step^2 times the
   * third derivative) stays far below the tolerance, large enough that float32 rounding of the outputs,
   * divided by the step, does too. Layers with kinks (ReLU-like, max) want it below the distance of
   * every input from a kink; steep smooth ones (large beta in LRN) a smaller one.
   */
  step?: number;
  /** Passed to the layer's `call` (dropout-like layers need `true` to differ from identity). */
  training?: boolean;
}

function draw(size: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: size }, () => rng.uniform(-1, 1));
}

/**
 * Compares the layer's gradients (tf.grad for the input, tf.variableGrads for the trainable weights)
 * of `loss = sum(layer(x) * r)` for a fixed random `r` with central differences of the same loss, the
 * loss summed in float64. Weights get random values first so no gradient is trivially zero.
 */
export function gradientErrors(layer: layers.Layer, inputShape: number[], options: GradientCheckOptions = {}): GradientErrors {
  const { seed = 1, step = 1e-3, training = false } = options;
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = draw(size, seed);
  const output = tf.tidy(() => layer.apply(tf.tensor(Float32Array.from(x), inputShape), { training }) as tf.Tensor);
  const projection = draw(output.size, seed + 1);
  const outputShape = output.shape;
  output.dispose();
  const weights = layer.trainableWeights;
  weights.forEach((w, i) => {
    w.write(
      tf.tensor(
        Float32Array.from(
          draw(
            w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
            seed + 2 + i,
          ),
        ),
        w.shape as number[],
      ),
    );
  });
  const r = tf.tensor(Float32Array.from(projection), outputShape);
  const lossOf = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training }) as tf.Tensor, r)) as tf.Scalar;
  const evaluate = (input: Float64Array): number => {
    const y = tf.tidy(() => layer.apply(tf.tensor(Float32Array.from(input), inputShape), { training }) as tf.Tensor);
    const values = y.dataSync();
    y.dispose();
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += (values[i] as number) * (projection[i] as number);
    return sum;
  };
  const errors: GradientErrors = {};
  const inputGradient = tf.tidy(() =>
    tf
      .grad(lossOf)(tf.tensor(Float32Array.from(x), inputShape))
      .dataSync(),
  );
  errors.input = maxRelativeError(inputGradient, numericGradient(evaluate, x, step));
  if (weights.length > 0) {
    const xTensor = tf.tensor(Float32Array.from(x), inputShape);
    const { grads } = tf.variableGrads(
      () => lossOf(xTensor),
      weights.map((w) => w.read() as tf.Variable),
    );
    weights.forEach((w) => {
      const variable = w.read() as tf.Variable;
      const original = Float64Array.from(variable.dataSync());
      const numeric = numericGradient(
        (values) => {
          variable.assign(tf.tensor(Float32Array.from(values), variable.shape));
          return evaluate(x);
        },
        original,
        step,
      );
      variable.assign(tf.tensor(Float32Array.from(original), variable.shape));
      errors[w.originalName] = maxRelativeError((grads[variable.name] as tf.Tensor).dataSync(), numeric);
    });
    tf.dispose([xTensor, grads]);
  }
  r.dispose();
  return errors;
}
