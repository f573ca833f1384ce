import type { LabeledImages } from './labeled-images.js';

/** Per-channel mean and standard deviation of pixel values scaled to [0, 1]. */
export interface ChannelStatistics {
  mean: number[];
  std: number[];
}

/**
 * Per-channel mean and standard deviation of a training set, in [0, 1] units, computed in float64 over
 * the uint8 storage (no float copy of the set). Inputs are normalized with these, as torchvision's
 * `Normalize(mean, std)` is used with the training set's statistics.
 */
export function channelStatistics(data: LabeledImages): ChannelStatistics {
  const channels = data.shape[2];
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  const images = data.images;
  for (let i = 0; i < images.length; i++) {
    const v = (images[i] as number) / 255;
    const c = i % channels;
    sum[c] = (sum[c] as number) + v;
    squares[c] = (squares[c] as number) + v * v;
  }
  const count = images.length / channels;
  const mean = Array.from(sum, (s) => s / count);
  // A constant channel would divide by zero; 1 leaves it centred but unscaled.
  const std = Array.from(squares, (s, c) => Math.sqrt(Math.max(s / count - (mean[c] as number) ** 2, 0)) || 1);
  return { mean, std };
}
