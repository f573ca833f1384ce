import * as tf from '@tensorflow/tfjs-core';
import { type KernelParams, replacedKernel } from '../replace-kernel.js';
import { copyRun } from './heap-copy.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * AvgPoolGrad on wasm for 1x1 windows without padding, the strided subsampling of a zero-padding
 * shortcut (ResNet's option A): the input gradient is zero except at the sampled pixels, which take
 * their output gradient whole, one run of channels each. The stock kernel spent 7 ms on each of a
 * wasm ResNet-20's two; larger windows go to it unchanged.
 */
export function avgPoolGradWasm(params: KernelParams): tf.TensorInfo {
  const { inputs, backend, attrs } = params;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad } = attrs as unknown as tf.AvgPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
  const { filterHeight, filterWidth, padInfo } = info;
  if (filterHeight !== 1 || filterWidth !== 1 || padInfo.top !== 0 || padInfo.left !== 0) {
    const stock = replacedKernel('AvgPoolGrad', 'wasm');
    if (!stock)
      throw new Error('convkit AvgPoolGrad needs the stock wasm AvgPoolGrad kernel for windows above 1x1, which was not registered');
    return stock(params) as tf.TensorInfo;
  }
  const heap = backend as unknown as WasmHeapBackend;
  const dx = heap.makeOutput(input.shape, 'float32');
  const g = heap.typedArrayFromHeap(dy);
  const out = heap.typedArrayFromHeap(dx);
  out.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  let from = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        copyRun(g, out, from, ((b * inHeight + oy * strideHeight) * inWidth + ox * strideWidth) * channels, channels);
        from += channels;
      }
    }
  }
  return dx;
}
