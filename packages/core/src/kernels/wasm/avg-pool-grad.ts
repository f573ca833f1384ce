import * as tf from '@tensorflow/tfjs-core';
import type { KernelParams } from '../replace-kernel.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * AvgPoolGrad on wasm: every output gradient, divided by the window's size (padded taps included, as
 * tfjs's cpu and stock kernels divide), is added to the input pixels its window covers, one run of
 * channels at a time. The stock kernel spent 9 ms on each of LeNet-5's two 2x2 pools at batch 64
 * (the slowest kernel of its wasm step) and 7 ms on each 1x1 subsampling of a ResNet-20's
 * zero-padding shortcuts.
 */
export function avgPoolGradWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad } = attrs as unknown as tf.AvgPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
  const heap = backend as unknown as WasmHeapBackend;
  const dx = heap.makeOutput(input.shape, 'float32');
  const g = heap.typedArrayFromHeap(dy) as Float32Array;
  const out = heap.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const share = 1 / (filterHeight * filterWidth);
  let from = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, from += channels) {
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = oy * strideHeight - top + ky;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const ix = ox * strideWidth - left + kx;
            if (ix < 0 || ix >= inWidth) continue;
            const to = ((b * inHeight + iy) * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) out[to + c] = (out[to + c] as number) + (g[from + c] as number) * share;
          }
        }
      }
    }
  }
  return dx;
}
