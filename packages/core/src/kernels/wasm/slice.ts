import * as tf from '@tensorflow/tfjs-core';
import { type KernelParams, replacedKernel } from '../replace-kernel.js';
import { copyRun } from './heap-copy.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * Slice on wasm as one copy per run: the axes after the innermost one the slice cuts are whole, so
 * each run is contiguous in both tensors. The stock kernel copies every innermost row by
 * `set(subarray)`, allocating a view per row: a channel slice of 64x16x16x32 (the gradient of a
 * zero-padding shortcut, of a concatenation, or of a channel split) made 16,384 of them. Strings,
 * which live off the heap, go to the stock kernel.
 */
export function sliceWasm(params: KernelParams): tf.TensorInfo {
  const { inputs, backend, attrs } = params;
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') {
    const stock = replacedKernel('Slice', 'wasm');
    if (!stock) throw new Error('convkit Slice needs the stock wasm Slice kernel for strings, which was not registered');
    return stock(params) as tf.TensorInfo;
  }
  const { begin, size } = attrs as unknown as tf.SliceAttrs;
  const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
  const heap = backend as unknown as WasmHeapBackend;
  const out = heap.makeOutput(extent, x.dtype);
  const src = heap.typedArrayFromHeap(x);
  const dst = heap.typedArrayFromHeap(out);
  if (dst.length === 0) return out;
  const shape = x.shape;
  const strides = [...tf.util.computeStrides(shape), 1];
  // The innermost axis that the slice cuts: the run is it and every axis after it.
  let cut = shape.length - 1;
  while (cut > 0 && start[cut] === 0 && extent[cut] === shape[cut]) cut--;
  if (cut < 0) {
    dst.set(src);
    return out;
  }
  const run = (extent[cut] as number) * (strides[cut] as number);
  const runs = dst.length / run;
  for (let r = 0; r < runs; r++) {
    let rest = r;
    let from = (start[cut] as number) * (strides[cut] as number);
    for (let axis = cut - 1; axis >= 0; axis--) {
      const count = extent[axis] as number;
      const index = rest % count;
      rest = (rest - index) / count;
      from += ((start[axis] as number) + index) * (strides[axis] as number);
    }
    copyRun(src, dst, from, r * run, run);
  }
  return out;
}
