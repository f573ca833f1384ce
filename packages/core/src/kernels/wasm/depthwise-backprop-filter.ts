import type * as tf from '@tensorflow/tfjs-core';
import { type ConvGradientAttrs, convGeometry } from '../conv-geometry.js';
import type { KernelParams } from '../replace-kernel.js';
import { cropToFilter, filterGradientConvAttrs } from './filter-gradient.js';
import { withKernelCalls } from './kernel-calls.js';

/**
 * DepthwiseConv2dNativeBackpropFilter on wasm as one XNNPACK depthwise convolution: moving the batch
 * into the channels (`x` as `[1, H, W, N·C]`, `dy` as an `[OH, OW, N·C, M]` filter with stride and
 * dilation swapped) gives every (image, channel) pair's correlation at once; summing over the batch
 * leaves the `[KH, KW, C, M]` filter gradient. XNNPACK runs such a large kernel on a slow path
 * (about 8x the forward op's time), yet channel-major stacked windows through BatchMatMul measured
 * 2x slower still, as the wasm batched matmul is not XNNPACK-backed.
 */
export function depthwiseBackpropFilterWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as ConvGradientAttrs & { filterShape: number[] };
  const g = convGeometry(x.shape, a.filterShape, a, true);
  const [kh, kw, c, m] = a.filterShape as [number, number, number, number];
  const n = g.batch;
  return withKernelCalls(backend, (calls) => {
    const xT = calls.reshape(calls.transpose(x, [1, 2, 0, 3]), [1, g.inHeight, g.inWidth, n * c]);
    const dyT = calls.reshape(calls.transpose(dy, [1, 2, 0, 3]), [g.outHeight, g.outWidth, n * c, m]);
    const perImage = calls.run('DepthwiseConv2dNative', { x: xT, filter: dyT }, filterGradientConvAttrs(g));
    const byImage = calls.reshape(cropToFilter(calls, perImage, g), [kh * kw, n, c * m]);
    const summed = n === 1 ? byImage : calls.run('Sum', { x: byImage }, { axis: [1], keepDims: false });
    return calls.reshape(summed, [kh, kw, c, m]);
  });
}
