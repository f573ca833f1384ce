import type * as tf from '@tensorflow/tfjs-core';
import { type ConvGeometry, type ConvGradientAttrs, convGeometry } from '../conv-geometry.js';
import type { KernelParams } from '../replace-kernel.js';
import { batchInnermost, cropToFilter, filterGradientConvAttrs } from './filter-gradient.js';
import { withKernelCalls } from './kernel-calls.js';

/**
 * Conv2DBackpropFilter on wasm as one XNNPACK convolution: with the batch moved into the channels,
 * `dW[kh,kw,ci,co] = Σ x[n, oh·s + kh·d, ow·s + kw·d, ci] · dy[n,oh,ow,co]` is a convolution of
 * `x` as `[Cin, H, W, N]` with `dy` as an `[OH, OW, N, Cout]` filter, whose stride is the original
 * dilation and whose dilation is the original stride. Measured against im2col + XNNPACK matmul
 * (one channel-major window per tap, times `dy`): 1.6x (conv 3x3 64->64 on 32x32x32) to 20x
 * (stride 2, where the windows need StridedSlice) faster; the wasm matmul with a transposed operand
 * is a scalar loop, which rules out the direct `xcolᵀ · dy` product.
 */
export function conv2dBackpropFilterWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as ConvGradientAttrs & { filterShape: number[] };
  const g = convGeometry(x.shape, a.filterShape, a, false);
  const padded = aliasFreeFilterGeometry(g);
  return withKernelCalls(backend, (calls) => {
    const xT = batchInnermost(calls, x);
    const dyPadded = calls.padOrCrop(dy, [
      [0, 0],
      [0, padded.outHeight - g.outHeight],
      [0, padded.outWidth - g.outWidth],
      [0, 0],
    ]);
    const dyT = calls.transpose(dyPadded, [1, 2, 0, 3]);
    const grad = calls.run('Conv2D', { x: xT, filter: dyT }, { ...filterGradientConvAttrs(padded), dataFormat: 'NHWC' });
    return calls.transpose(cropToFilter(calls, grad, g), [1, 2, 0, 3]);
  });
}

/**
 * The geometry whose `dy`, used as the filter above, has one zero row and column more, where that
 * breaks a power-of-two stride. tfjs-backend-wasm moves a new filter's output channels outermost
 * before XNNPACK packs it, writing with a stride of OH·OW·N floats; at a multiple of 4 KiB all those
 * writes land in one cache set. Conv 3x3 64->64 on 32x32x32, filter gradient, median of 15: 91 -> 69
 * ms with the zero row and column (32->32 channels on 64x32x32: 49 -> 40 ms). Fewer than 32 output
 * channels fit the cache's ways and gain nothing; on 8x8 maps the 27% more filter taps cost more
 * than the aliasing (256->256 channels on 32x8x8: 49 -> 57 ms), hence the 15% limit.
 */
export function aliasFreeFilterGeometry(g: ConvGeometry): ConvGeometry {
  const aliased = (outHeight: number, outWidth: number) => (outHeight * outWidth * g.batch) % 1024 === 0;
  const grown = { ...g, outHeight: g.outHeight + 1, outWidth: g.outWidth + 1 };
  const extraTaps = (grown.outHeight * grown.outWidth) / (g.outHeight * g.outWidth) - 1;
  const worthIt = g.outChannels >= 32 && extraTaps <= 0.15 && aliased(g.outHeight, g.outWidth) && !aliased(grown.outHeight, grown.outWidth);
  return worthIt ? grown : g;
}
