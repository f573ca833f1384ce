import * as tf from '@tensorflow/tfjs-core';
import type { KernelParams } from '../replace-kernel.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * MaxPoolGrad on wasm: each output gradient goes to the first maximum of its window (row-major, as
 * the cpu and TensorFlow kernels choose), padded positions never winning. The stock wasm kernel
 * (tfjs-backend-wasm 4.22) sends nothing back from a window whose values are all negative, so any
 * max pool over pre-activation maps (a non-local block's phi and g, a GoogLeNet branch) trained on
 * wasm got zero gradients there; this scans the window from -Infinity.
 */
export function maxPoolGradWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const heap = backend as unknown as WasmHeapBackend;
  const dx = heap.makeOutput(input.shape, 'float32');
  const x = heap.typedArrayFromHeap(input) as Float32Array;
  const g = heap.typedArrayFromHeap(dy) as Float32Array;
  const out = heap.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: kh, effectiveFilterWidth: kw, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let c = 0; c < channels; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let ky = 0; ky < kh; ky += dilationHeight) {
            const iy = oy * strideHeight - top + ky;
            if (iy < 0 || iy >= inHeight) continue;
            for (let kx = 0; kx < kw; kx += dilationWidth) {
              const ix = ox * strideWidth - left + kx;
              if (ix < 0 || ix >= inWidth) continue;
              const index = ((b * inHeight + iy) * inWidth + ix) * channels + c;
              if ((x[index] as number) > best || at < 0) {
                best = x[index] as number;
                at = index;
              }
            }
          }
          if (at >= 0) out[at] = (out[at] as number) + (g[((b * outHeight + oy) * outWidth + ox) * channels + c] as number);
        }
      }
    }
  }
  return dx;
}
