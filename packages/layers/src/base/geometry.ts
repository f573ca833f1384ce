import { type AxisPadding, ConvkitError, convOutputSize, effectiveKernel, isConvkitError, resolvePadding } from '@convkit/core';
import { formatShape } from './convkit-layer.js';

/** A value given once for both spatial axes or as `[height, width]`. */
export type IntPair = number | [number, number];

/**
 * Zero padding of a 2-D window op:
 * - `'valid'`: none; `'same'`: TensorFlow's rule (the odd zero goes bottom/right, so at stride 2 it
 *   differs from PyTorch);
 * - `p` or `[ph, pw]`: PyTorch's `padding=` — `p` zeros on both sides of each axis;
 * - `[[top, bottom], [left, right]]`: explicit and possibly asymmetric, like tfjs `ZeroPadding2D`.
 */
export type Padding2d = 'same' | 'valid' | number | [number, number] | [[number, number], [number, number]];

/** Explicit `[[top, bottom], [left, right]]` zeros. */
export type Pads = [[number, number], [number, number]];

/** `[v, v]` for a number, the pair itself otherwise. */
export function toPair(value: IntPair): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/**
 * Validates an integer pair option at construction; `min` is 1 for strides, kernels and dilations.
 * @param owner the layer description used in the message, e.g. `Conv2d "stem.conv"`.
 */
export function checkedPair(owner: string, option: string, value: IntPair, min = 1): [number, number] {
  const pair = toPair(value);
  for (const v of pair) {
    if (!Number.isInteger(v) || v < min) {
      const expected = min === 1 ? 'positive integers' : `integers >= ${min}`;
      throw new ConvkitError('bad-option', `${owner}: ${option} must be ${expected}, got ${JSON.stringify(value)}`);
    }
  }
  return pair;
}

/** The padding of one axis (0 = height, 1 = width) as core's {@link AxisPadding}. */
export function axisPadding(padding: Padding2d, axis: 0 | 1): AxisPadding {
  if (typeof padding === 'string' || typeof padding === 'number') return padding;
  const entry = padding[axis];
  return typeof entry === 'number' ? entry : [entry[0], entry[1]];
}

/** Validates a padding option at construction: non-negative integers or `'same'`/`'valid'`. */
export function checkedPadding(owner: string, padding: Padding2d): Padding2d {
  if (padding === 'same' || padding === 'valid') return padding;
  const values = [axisPadding(padding, 0), axisPadding(padding, 1)].flat();
  if (values.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
    throw new ConvkitError(
      'bad-option',
      `${owner}: padding must be 'same', 'valid', p, [ph, pw] or [[top, bottom], [left, right]] with non-negative integers, got ${JSON.stringify(padding)}`,
    );
  }
  return padding;
}

/**
 * PyTorch's customary padding `dilation * (kernel - 1) / 2` per side (`[ph, pw]`), which keeps the size
 * at stride 1 for odd kernels. Even kernels round down, as `k // 2` does in torchvision.
 */
export function effectiveKernelPadding(kernel: [number, number], dilation: [number, number]): [number, number] {
  return [Math.floor((dilation[0] * (kernel[0] - 1)) / 2), Math.floor((dilation[1] * (kernel[1] - 1)) / 2)];
}

/** One spatial axis of a sliding window. */
export interface WindowSpec {
  kernel: number;
  stride: number;
  dilation: number;
  padding: AxisPadding;
  /** PyTorch pooling's `ceil_mode`. */
  ceilMode?: boolean;
}

/** Output length and the zeros added before/after one axis (`extra` is the ceil-mode overhang past the padding). */
export interface AxisPlan {
  out: number;
  before: number;
  after: number;
  extra: number;
}

/**
 * Plans one axis of a window op. In ceil mode the last window must start inside the input or the
 * leading padding (PyTorch's rule), and the overhang it needs is reported as `extra`.
 * Geometry errors from core are re-thrown prefixed with `owner` and the input shape.
 */
export function planAxis(owner: string, shape: readonly (number | null)[], size: number, spec: WindowSpec, axisName: string): AxisPlan {
  try {
    const axis = { size, ...spec };
    const [before, after] = resolvePadding(axis);
    let out = convOutputSize(axis);
    if (spec.ceilMode && (out - 1) * spec.stride >= size + before) out -= 1;
    const extra = Math.max(0, (out - 1) * spec.stride + effectiveKernel(spec.kernel, spec.dilation) - (size + before + after));
    return { out, before, after, extra };
  } catch (error) {
    if (!isConvkitError(error)) throw error;
    throw new ConvkitError(error.code, `${owner} (input ${formatShape(shape)}, NHWC): ${axisName}: ${error.message}`, {
      cause: error,
    });
  }
}
