import { addChannelSums, channelAffine } from './channel-sweeps.js';

/**
 * Batch normalization in training mode over `[rows, channels]` float32 data (channels innermost, as
 * NHWC is), in two passes: per-channel sums in float64, then the normalized output. `saved` receives
 * the batch mean and biased variance, which {@link batchNormGradientLoops} takes back, as TensorFlow's
 * FusedBatchNormV3 saves them for its gradient. The running statistics move by `momentum` (the weight
 * of the batch, PyTorch's convention) towards the batch mean and the unbiased batch variance, as
 * PyTorch's BatchNorm does.
 */
export function batchNormLoops(
  [x, scale, offset, movingMean, movingVariance]: Float32Array[],
  [y, newMean, newVariance, savedMean, savedVariance]: Float32Array[],
  channels: number,
  epsilon: number,
  momentum: number,
): void {
  const xs = x as Float32Array;
  const rows = xs.length / channels;
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  addChannelSums(xs, xs, new Float64Array(channels), channels, sum, squares);
  const a = new Float64Array(channels);
  const b = new Float64Array(channels);
  // Bessel's correction for the running variance; a single row has no spread to correct (as in TF).
  const unbias = rows > 1 ? rows / (rows - 1) : 1;
  for (let c = 0; c < channels; c++) {
    const mean = (sum[c] as number) / rows;
    const variance = Math.max(0, (squares[c] as number) / rows - mean * mean);
    const inverseStd = 1 / Math.sqrt(variance + epsilon);
    a[c] = inverseStd * ((scale as Float32Array)[c] as number);
    b[c] = ((offset as Float32Array)[c] as number) - mean * (a[c] as number);
    (savedMean as Float32Array)[c] = mean;
    (savedVariance as Float32Array)[c] = variance;
    (newMean as Float32Array)[c] = (1 - momentum) * ((movingMean as Float32Array)[c] as number) + momentum * mean;
    (newVariance as Float32Array)[c] = (1 - momentum) * ((movingVariance as Float32Array)[c] as number) + momentum * variance * unbias;
  }
  channelAffine(xs, xs, a, new Float64Array(channels), b, channels, y as Float32Array);
}

/**
 * Gradients of {@link batchNormLoops}'s output with respect to its input, scale and offset, from the
 * saved batch mean and biased variance, in two passes: `dOffset = Σ dy`, `dScale = Σ dy·x̂`, then
 * `dx = scale/σ · (dy − dOffset/n − x̂·dScale/n)`, the batch statistics' own dependence on x included.
 */
export function batchNormGradientLoops(
  [dy, x, scale, savedMean, savedVariance]: Float32Array[],
  [dx, dScale, dOffset]: Float32Array[],
  channels: number,
  epsilon: number,
): void {
  const xs = x as Float32Array;
  const dys = dy as Float32Array;
  const rows = xs.length / channels;
  const inverseStd = new Float64Array(channels);
  const mean = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    mean[c] = (savedMean as Float32Array)[c] as number;
    inverseStd[c] = 1 / Math.sqrt(((savedVariance as Float32Array)[c] as number) + epsilon);
  }
  const sumDy = new Float64Array(channels);
  const sumDyCentered = new Float64Array(channels);
  addChannelSums(dys, xs, mean, channels, sumDy, sumDyCentered);
  const sumDyXhat = sumDyCentered.map((v, c) => v * (inverseStd[c] as number));
  // dx = k·dy + p·x + q per channel, with the constants folded so the second pass is one multiply-add chain.
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
  channelAffine(dys, xs, k, p, q, channels, dx as Float32Array);
}
