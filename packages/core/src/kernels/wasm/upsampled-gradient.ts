import type * as tf from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import type { WasmKernelCalls } from './kernel-calls.js';

/**
 * The output gradient laid out so that the input gradient is a plain stride-1 convolution of it
 * with the spatially flipped filter: zeros inserted between rows and columns for strides above 1,
 * then padded (or cropped) so that a 'valid' convolution yields exactly `H x W` outputs.
 */
export function upsampledPaddedGradient(calls: WasmKernelCalls, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const [n, oh, ow, c] = dy.shape as [number, number, number, number];
  let spread = dy;
  let rows = oh;
  let cols = ow;
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    const sixD = calls.reshape(dy, [n, oh, 1, ow, 1, c]);
    const padded = calls.padOrCrop(sixD, [
      [0, 0],
      [0, 0],
      [0, g.strideHeight - 1],
      [0, 0],
      [0, g.strideWidth - 1],
      [0, 0],
    ]);
    rows = oh * g.strideHeight;
    cols = ow * g.strideWidth;
    spread = calls.reshape(padded, [n, rows, cols, c]);
  }
  const top = (g.filterHeight - 1) * g.dilationHeight - g.padTop;
  const left = (g.filterWidth - 1) * g.dilationWidth - g.padLeft;
  const bottom = g.inHeight + (g.filterHeight - 1) * g.dilationHeight - top - rows;
  const right = g.inWidth + (g.filterWidth - 1) * g.dilationWidth - left - cols;
  return calls.padOrCrop(spread, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
}
