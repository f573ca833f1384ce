import * as tf from '@tensorflow/tfjs-core';

/**
 * Whether an unpadded convolution's window covers its whole input (LeNet-5's C5: 5x5 filters on a
 * 5x5 map), so that each output is one dot product of an image with a filter and the convolution is
 * a matrix product of `[images, kh·kw·cin]` by `[kh·kw·cin, cout]`. The output is 1x1 at any stride.
 */
export function coversWholeInput(xShape: readonly number[], filterShape: readonly number[], pad: unknown): boolean {
  return (pad === 'valid' || pad === 0) && xShape[1] === filterShape[0] && xShape[2] === filterShape[1];
}

/**
 * Whether {@link fullWindowConvGradients} pays on `backend`. LeNet-5's C5 (batch 128), forward and
 * both gradients, median of 40: tensorflow 6.2 -> 2.3 ms, wasm 20.1 -> 5.8 ms, but cpu 40 -> 65 ms, where tfjs's
 * transposed matrix products are JavaScript loops slower than convkit's own cpu filter gradient.
 */
export function prefersMatrixProducts(backend: string): boolean {
  return backend !== 'cpu';
}

/**
 * The input and filter gradients of a convolution that {@link coversWholeInput}, as the two matrix
 * products of a dense layer's gradient, which tensorflow and wasm run several times faster than their
 * Conv2DBackpropInput and Conv2DBackpropFilter at that geometry (see {@link prefersMatrixProducts}).
 * Keys as the tape's: 0 the input's, 1 the filter's; each runs only when the tape asks for it.
 */
export function fullWindowConvGradients(dy: tf.Tensor, x: tf.Tensor4D, filter: tf.Tensor4D): Record<string, () => tf.Tensor> {
  const [kh, kw, inChannels, outChannels] = filter.shape;
  const depth = kh * kw * inChannels;
  const rows = () => tf.reshape(dy, [x.shape[0], outChannels]);
  return {
    0: () => tf.reshape(tf.matMul(rows(), tf.reshape(filter, [depth, outChannels]), false, true), x.shape),
    1: () => tf.reshape(tf.matMul(tf.reshape(x, [x.shape[0], depth]), rows(), true, false), filter.shape),
  };
}
