import { ConvkitError } from '../errors.js';

/**
 * Padding of one spatial axis: TF-style `'same'` / `'valid'`, a symmetric number of zeros per side,
 * or explicit `[before, after]` zeros (PyTorch-style symmetric padding is `[p, p]`).
 */
export type AxisPadding = 'same' | 'valid' | number | [number, number];

/** One axis of a sliding-window operation (convolution or pooling). */
export interface WindowAxis {
  /** Input length along the axis. */
  size: number;
  /** Kernel (window) length. */
  kernel: number;
  /** Step between windows; default 1. */
  stride?: number;
  /** Spacing between kernel taps (atrous rate); default 1. */
  dilation?: number;
  /** Default `'valid'`. */
  padding?: AxisPadding;
  /** Round the output size up instead of down (PyTorch pooling's `ceil_mode`). */
  ceilMode?: boolean;
}

/** Span of a dilated kernel: `d * (k - 1) + 1`. */
export function effectiveKernel(kernel: number, dilation = 1): number {
  return dilation * (kernel - 1) + 1;
}

/**
 * Zeros TensorFlow adds before and after an axis for `'same'` padding. When the total is odd the
 * extra zero goes after (bottom/right), which is why TF and PyTorch differ at stride 2.
 */
export function samePadding(size: number, kernel: number, stride = 1, dilation = 1): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effectiveKernel(kernel, dilation) - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Explicit `[before, after]` zeros for an axis. */
export function resolvePadding(axis: WindowAxis): [number, number] {
  const { padding = 'valid', size, kernel, stride = 1, dilation = 1 } = axis;
  if (padding === 'same') return samePadding(size, kernel, stride, dilation);
  if (padding === 'valid') return [0, 0];
  return typeof padding === 'number' ? [padding, padding] : padding;
}

/**
 * Output length of a convolution or pooling along one axis:
 * `floor((size + before + after - d(k-1) - 1) / s) + 1` (ceil with `ceilMode`).
 * Throws a {@link ConvkitError} when the dilated kernel does not fit the padded input.
 */
export function convOutputSize(axis: WindowAxis): number {
  const { size, kernel, stride = 1, dilation = 1 } = axis;
  for (const [label, value] of [
    ['size', size],
    ['kernel', kernel],
    ['stride', stride],
    ['dilation', dilation],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new ConvkitError('bad-geometry', `${label} must be a positive integer, got ${value}`);
    }
  }
  const [before, after] = resolvePadding(axis);
  const span = effectiveKernel(kernel, dilation);
  const padded = size + before + after;
  if (span > padded) {
    throw new ConvkitError(
      'kernel-too-large',
      `kernel ${kernel} (span ${span} with dilation ${dilation}) is larger than the padded input ${padded}; use a smaller kernel or more padding`,
    );
  }
  const round = axis.ceilMode ? Math.ceil : Math.floor;
  return round((padded - span) / stride) + 1;
}
