import type * as tf from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { FastestOnFirstUse } from './fastest-on-first-use.js';
import type { WasmKernelCalls } from './kernel-calls.js';

/**
 * Attributes of the convolution (standard or depthwise) that yields a filter gradient; a type, not an
 * interface, so that it passes as the kernel's attribute map.
 */
export type FilterGradientConvAttrs = {
  strides: [number, number];
  dilations: [number, number];
  pad: [number, number][];
};

/**
 * Attributes for computing a filter gradient as one convolution of `x` with `dy` used as the filter,
 * once the batch is moved into the channels: the forward dilation becomes the stride and the forward
 * stride the dilation. Top/left get the forward padding; bottom/right as much as the forward windows
 * reached past the input's end, which yields at least one output per filter tap (see {@link cropToFilter}).
 */
export function filterGradientConvAttrs(g: ConvGeometry): FilterGradientConvAttrs {
  const extentH = (g.filterHeight - 1) * g.dilationHeight + (g.outHeight - 1) * g.strideHeight + 1;
  const extentW = (g.filterWidth - 1) * g.dilationWidth + (g.outWidth - 1) * g.strideWidth + 1;
  return {
    strides: [g.dilationHeight, g.dilationWidth],
    dilations: [g.strideHeight, g.strideWidth],
    pad: [
      [0, 0],
      [g.padTop, Math.max(0, extentH - g.padTop - g.inHeight)],
      [g.padLeft, Math.max(0, extentW - g.padLeft - g.inWidth)],
      [0, 0],
    ],
  };
}

/**
 * `grad` (NHWC, spatial axes indexing filter taps) cut to the filter's height and width: rows and
 * columns that the forward pass never reached can make the convolution's result larger than the filter.
 */
export function cropToFilter(calls: WasmKernelCalls, grad: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  return calls.padOrCrop(grad, [
    [0, 0],
    [0, g.filterHeight - (grad.shape[1] as number)],
    [0, g.filterWidth - (grad.shape[2] as number)],
    [0, 0],
  ]);
}

/** `x` (NHWC) as `[C, H, W, N]` by tfjs-backend-wasm's one 4-D transpose. */
function batchInnermostAtOnce(calls: WasmKernelCalls, x: tf.TensorInfo): tf.TensorInfo {
  return calls.transpose(x, [3, 1, 2, 0]);
}

/** `x` (NHWC) as `[C, H, W, N]` through `[H·W·C, N]`: a 2-D transpose, then a move of runs of `N` floats. */
function batchInnermostInTwo(calls: WasmKernelCalls, x: tf.TensorInfo): tf.TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const pixelsByBatch = calls.transpose(calls.reshape(x, [n, h * w * c]), [1, 0]);
  const channelsFirst = calls.transpose(calls.reshape(pixelsByBatch, [h * w, c, n]), [1, 0, 2]);
  return calls.reshape(channelsFirst, [c, h, w, n]);
}

/**
 * The two ways to {@link batchInnermost}, in that order. Which is faster depends on the CPU: on an
 * AMD EPYC the two transposes won at 16 or more images and channels (median of 21: 32x32x32x64 15.2
 * -> 8.9 ms, 64x32x32x16 5.8 -> 4.5 ms) and lost below (128x28x28x6: 2.4 against 0.8 ms); on an
 * Intel Xeon with AMX the one 4-D transpose won at every shape (median of 15: 32x32x32x64 17.1
 * against 22.9 ms, 64x32x32x16 7.7 against 13.5 ms, 64x8x8x64 0.8 against 2.2 ms).
 */
export const BATCH_INNERMOST_WAYS = [batchInnermostAtOnce, batchInnermostInTwo] as const;

// The timing runs' outputs are intermediates of the kernel's calls, freed when the kernel ends.
const batchInnermostWay = new FastestOnFirstUse<[WasmKernelCalls, tf.TensorInfo], tf.TensorInfo>(BATCH_INNERMOST_WAYS);

/**
 * `x` (NHWC) as `[C, H, W, N]`, the filter gradient's input, by whichever of
 * {@link BATCH_INNERMOST_WAYS} ran faster here the first time this shape came.
 */
export function batchInnermost(calls: WasmKernelCalls, x: tf.TensorInfo): tf.TensorInfo {
  return batchInnermostWay.run(x.shape.join('x'), calls, x);
}
