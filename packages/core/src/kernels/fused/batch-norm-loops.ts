import { addChannelSums, channelAffine } from './channel-sweeps.js';

/** Per-channel factors of an affine map `k·a + p·b + q` over `[rows, channels]` data. */
export interface ChannelFactors {
  k: Float64Array;
  p: Float64Array;
  q: Float64Array;
}

/**
 * Batch normalization's statistics in training mode over `[rows, channels]` float32 data (channels
 * innermost, as NHWC is): per-channel sums in float64, returned as the factors of the output,
 * `y = k·x + q` (`p` is zero). `saved` receives the batch mean and biased variance, which
 * {@link batchNormGradientFactors} takes back, as TensorFlow's FusedBatchNormV3 saves them for its
 * gradient. The running statistics move by `momentum` (the weight of the batch, PyTorch's convention)
 * towards the batch mean and the unbiased batch variance, as PyTorch's BatchNorm does.
 */
export function batchNormFactors(
  x: Float32Array,
  [scale, offset, movingMean, movingVariance]: Float32Array[],
  [newMean, newVariance, savedMean, savedVariance]: Float32Array[],
  channels: number,
  epsilon: number,
  momentum: number,
): ChannelFactors {
  const rows = x.length / channels;
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  addChannelSums(x, x, new Float64Array(channels), channels, sum, squares);
  const k = new Float64Array(channels);
  const q = new Float64Array(channels);
  // Bessel's correction for the running variance; a single row has no spread to correct (as in TF).
  const unbias = rows > 1 ? rows / (rows - 1) : 1;
  for (let c = 0; c < channels; c++) {
    const mean = (sum[c] as number) / rows;
    const variance = Math.max(0, (squares[c] as number) / rows - mean * mean);
    const inverseStd = 1 / Math.sqrt(variance + epsilon);
    k[c] = inverseStd * ((scale as Float32Array)[c] as number);
    q[c] = ((offset as Float32Array)[c] as number) - mean * (k[c] as number);
    (savedMean as Float32Array)[c] = mean;
    (savedVariance as Float32Array)[c] = variance;
    (newMean as Float32Array)[c] = (1 - momentum) * ((movingMean as Float32Array)[c] as number) + momentum * mean;
    (newVariance as Float32Array)[c] = (1 - momentum) * ((movingVariance as Float32Array)[c] as number) + momentum * variance * unbias;
  }
  return { k, p: new Float64Array(channels), q };
}

/** Batch normalization in training mode as {@link batchNormFactors}, then the output in a second pass. */
export function batchNormLoops(
  [x, ...parameters]: Float32Array[],
  [y, ...statistics]: Float32Array[],
  channels: number,
  epsilon: number,
  momentum: number,
): void {
  const xs = x as Float32Array;
  const { k, p, q } = batchNormFactors(xs, parameters, statistics, channels, epsilon, momentum);
  channelAffine(xs, xs, k, p, q, channels, y as Float32Array);
}

/**
 * The sums of the gradients of {@link batchNormFactors}'s output with respect to its input, scale
 * and offset, from the saved batch mean and biased variance: `dOffset = Σ dy`, `dScale = Σ dy·x̂`,
 * written to `dScale` and `dOffset`, and the factors of `dx = k·dy + p·x + q`, which is
 * `scale/σ · (dy − dOffset/n − x̂·dScale/n)`, the batch statistics' own dependence on x included.
 */
export function batchNormGradientFactors(
  [dy, x, scale, savedMean, savedVariance]: Float32Array[],
  [dScale, dOffset]: Float32Array[],
  channels: number,
  epsilon: number,
): ChannelFactors {
  const xs = x as Float32Array;
  const rows = xs.length / channels;
  const inverseStd = new Float64Array(channels);
  const mean = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    mean[c] = (savedMean as Float32Array)[c] as number;
    inverseStd[c] = 1 / Math.sqrt(((savedVariance as Float32Array)[c] as number) + epsilon);
  }
  const sumDy = new Float64Array(channels);
  const sumDyCentered = new Float64Array(channels);
  addChannelSums(dy as Float32Array, xs, mean, channels, sumDy, sumDyCentered);
  const sumDyXhat = sumDyCentered.map((v, c) => v * (inverseStd[c] as number));
  // The constants folded so that dx is one multiply-add chain per element.
  const k = new Float64Array(channels);
  const p = new Float64Array(channels);
  const q = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = inverseStd[c] as number;
    k[c] = ((scale as Float32Array)[c] as number) * s;
    p[c] = (-(k[c] as number) * (sumDyXhat[c] as number) * s) / rows;
    q[c] = -(k[c] as number) * ((sumDy[c] as number) / rows) - (p[c] as number) * (mean[c] as number);
    (dScale as Float32Array)[c] = sumDyXhat[c] as number;
    (dOffset as Float32Array)[c] = sumDy[c] as number;
  }
  return { k, p, q };
}

/** Batch normalization's gradients as {@link batchNormGradientFactors}, then `dx` in a second pass. */
export function batchNormGradientLoops(inputs: Float32Array[], [dx, ...sums]: Float32Array[], channels: number, epsilon: number): void {
  const { k, p, q } = batchNormGradientFactors(inputs, sums, channels, epsilon);
  channelAffine(inputs[0] as Float32Array, inputs[1] as Float32Array, k, p, q, channels, dx as Float32Array);
}
