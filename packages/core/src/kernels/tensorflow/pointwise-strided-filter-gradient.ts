import * as tf from '@tensorflow/tfjs-core';
import { type ConvGradientAttrs, convGeometry } from '../conv-geometry.js';
import { type KernelParams, replacedKernel } from '../replace-kernel.js';

type FilterGradientAttrs = ConvGradientAttrs & { filterShape: [number, number, number, number] };

// libtensorflow 2.9.1's oneDNN Conv2DBackpropFilter corrupts the heap (a segfault or a malloc abort,
// not always on the first call) for a 1x1 filter with stride > 1 when the batch is odd, e.g. the
// projection shortcut of a ResNet trained at batch 3. A 1x1 convolution's filter gradient is a
// matrix product of the subsampled input with the output gradient, so that case never reaches it.
function isPointwiseStrided(g: ReturnType<typeof convGeometry>): boolean {
  const pointwise = g.filterHeight === 1 && g.filterWidth === 1;
  return pointwise && (g.strideHeight > 1 || g.strideWidth > 1) && g.padTop === 0 && g.padLeft === 0;
}

/**
 * Conv2DBackpropFilter on the tensorflow backend: the filter gradient of a strided 1x1 convolution as
 * `subsample(x)^T . dy` (one MatMul), every other convolution handed to tfjs-node's own kernel.
 */
export function conv2dBackpropFilterTensorflow(params: KernelParams): tf.TensorInfo {
  const { x, dy } = params.inputs as Record<'x' | 'dy', tf.Tensor4D>;
  const attrs = params.attrs as unknown as FilterGradientAttrs;
  const g = convGeometry(x.shape, attrs.filterShape, attrs, false);
  if (!isPointwiseStrided(g)) {
    const stock = replacedKernel('Conv2DBackpropFilter', 'tensorflow') as tf.KernelFunc;
    return stock(params) as tf.TensorInfo;
  }
  return tf.tidy(() => {
    // A 1x1 average pool of the convolution's strides is exactly its subsampling, at a fraction of
    // the time libtensorflow's StridedSlice takes.
    const sampled = tf.avgPool(x, 1, [g.strideHeight, g.strideWidth], 'valid');
    const rows = g.batch * g.outHeight * g.outWidth;
    const product = tf.matMul(tf.reshape(sampled, [rows, g.inChannels]), tf.reshape(dy, [rows, g.outChannels]), true, false);
    return tf.reshape(product, attrs.filterShape);
  });
}
