import type * as tf from '@tensorflow/tfjs-core';
import { type ConvGradientAttrs, convGeometry } from '../conv-geometry.js';
import type { KernelParams } from '../replace-kernel.js';
import { inputGradientSource } from './input-gradient-source.js';
import { withKernelCalls } from './kernel-calls.js';
import { subPixelApplies, subPixelInputGradient } from './sub-pixel-input-gradient.js';

/**
 * Conv2DBackpropInput on wasm as one XNNPACK convolution of the (zero-upsampled) output
 * gradient with the spatially flipped, in/out-swapped filter; strided ones whose strides divide the
 * input as one convolution per phase of input pixels (see {@link subPixelInputGradient}). Replaces
 * the stock kernel, a scalar loop that runs near 1 GFLOP/s.
 */
export function conv2dBackpropInputWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as ConvGradientAttrs & { inputShape: number[] };
  const g = convGeometry(a.inputShape, filter.shape, a, false);
  return withKernelCalls(backend, (calls) => {
    if (subPixelApplies(g)) return subPixelInputGradient(calls, dy, filter, g);
    const flipped = calls.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = calls.transpose(flipped, [0, 1, 3, 2]);
    const source = inputGradientSource(calls, dy, g);
    return calls.run(
      'Conv2D',
      { x: source.x, filter: swapped },
      { strides: 1, dilations: [g.dilationHeight, g.dilationWidth], pad: source.pad, dataFormat: 'NHWC' },
    );
  });
}
