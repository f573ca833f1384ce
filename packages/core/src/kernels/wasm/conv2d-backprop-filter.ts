import type * as tf from '@tensorflow/tfjs-core';
import { type ConvGradientAttrs, convGeometry } from '../conv-geometry.js';
import type { KernelParams } from '../replace-kernel.js';
import { cropToFilter, filterGradientConvAttrs } from './filter-gradient.js';
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
  return withKernelCalls(backend, (calls) => {
    const xT = calls.transpose(x, [3, 1, 2, 0]);
    const dyT = calls.transpose(dy, [1, 2, 0, 3]);
    const grad = calls.run('Conv2D', { x: xT, filter: dyT }, { ...filterGradientConvAttrs(g), dataFormat: 'NHWC' });
    return calls.transpose(cropToFilter(calls, grad, g), [1, 2, 0, 3]);
  });
}
