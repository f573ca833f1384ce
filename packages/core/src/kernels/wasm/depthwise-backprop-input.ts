import type * as tf from '@tensorflow/tfjs-core';
import { type ConvGradientAttrs, convGeometry } from '../conv-geometry.js';
import type { KernelParams } from '../replace-kernel.js';
import { inputGradientSource } from './input-gradient-source.js';
import { withKernelCalls } from './kernel-calls.js';

/**
 * DepthwiseConv2dNativeBackpropInput on wasm as one XNNPACK depthwise convolution of the
 * (zero-upsampled) output gradient with the spatially flipped filter, one filter per output
 * channel; with a channel multiplier M the M contributions to each input channel are then summed.
 */
export function depthwiseBackpropInputWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as ConvGradientAttrs & { inputShape: number[] };
  const g = convGeometry(a.inputShape, filter.shape, a, true);
  const [kh, kw, c, m] = filter.shape as [number, number, number, number];
  return withKernelCalls(backend, (calls) => {
    const flipped = calls.reshape(calls.run('Reverse', { x: filter }, { dims: [0, 1] }), [kh, kw, c * m, 1]);
    const source = inputGradientSource(calls, dy, g);
    const perOutputChannel = calls.run(
      'DepthwiseConv2dNative',
      { x: source.x, filter: flipped },
      { strides: 1, dilations: [g.dilationHeight, g.dilationWidth], pad: source.pad },
    );
    if (m === 1) return perOutputChannel;
    const split = calls.reshape(perOutputChannel, [g.batch, g.inHeight, g.inWidth, c, m]);
    return calls.run('Sum', { x: split }, { axis: [4], keepDims: false });
  });
}
