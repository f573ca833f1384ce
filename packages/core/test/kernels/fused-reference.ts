/**
 * Float64 references of batch norm in training mode and of the activations, written as the textbook
 * formulas (nothing shared with the kernels under test), for central-difference gradients.
 */

/** Training-mode batch norm of `[rows, channels]` data: the output, the batch mean and the biased variance. */
export function batchNormFloat64(
  x: Float64Array,
  scale: Float64Array,
  offset: Float64Array,
  channels: number,
  epsilon: number,
): { y: Float64Array; mean: Float64Array; variance: Float64Array } {
  const rows = x.length / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * channels + c] as number;
    mean[c] = s / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += ((x[r * channels + c] as number) - (mean[c] as number)) ** 2;
    variance[c] = v / rows;
  }
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    y[i] =
      (((x[i] as number) - (mean[c] as number)) / Math.sqrt((variance[c] as number) + epsilon)) * (scale[c] as number) +
      (offset[c] as number);
  }
  return { y, mean, variance };
}

/**
 * The float64 gradients of `Σ w·batchNorm(x)` with respect to x, scale and offset, in closed form:
 * `dx = scale/σ · (w − mean(w) − x̂·mean(w·x̂))`, `dScale = Σ w·x̂`, `dOffset = Σ w` per channel.
 */
export function batchNormGradientFloat64(
  x: Float64Array,
  scale: Float64Array,
  w: Float64Array,
  channels: number,
  epsilon: number,
): { dx: Float64Array; dScale: Float64Array; dOffset: Float64Array } {
  const { mean, variance } = batchNormFloat64(x, scale, new Float64Array(channels), channels, epsilon);
  const rows = x.length / channels;
  const xHat = x.map((v, i) => (v - (mean[i % channels] as number)) / Math.sqrt((variance[i % channels] as number) + epsilon));
  const dScale = new Float64Array(channels);
  const dOffset = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) {
    dScale[i % channels] = (dScale[i % channels] as number) + (w[i] as number) * (xHat[i] as number);
    dOffset[i % channels] = (dOffset[i % channels] as number) + (w[i] as number);
  }
  const dx = x.map((_, i) => {
    const c = i % channels;
    const slope = (scale[c] as number) / Math.sqrt((variance[c] as number) + epsilon);
    return slope * ((w[i] as number) - (dOffset[c] as number) / rows - ((xHat[i] as number) * (dScale[c] as number)) / rows);
  });
  return { dx, dScale, dOffset };
}

/** `Σ y·w`: a scalar whose gradient with respect to y is `w`, so any upstream gradient can be checked. */
export function dot(y: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] as number) * (w[i] as number);
  return s;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** The activations by tfjs kernel name, in float64. */
export const ACTIVATIONS_FLOAT64: Record<string, (x: number, alpha: number) => number> = {
  Relu: (x) => Math.max(0, x),
  Relu6: (x) => Math.min(6, Math.max(0, x)),
  LeakyRelu: (x, alpha) => (x > 0 ? x : alpha * x),
  Selu: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * (Math.exp(x) - 1)),
  Sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  Tanh: (x) => Math.tanh(x),
  Elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
};
