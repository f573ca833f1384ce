import * as tf from '@tensorflow/tfjs-core';
import type { KernelParams } from '../replace-kernel.js';
import { copyRun } from './heap-copy.js';
import type { HeapArray, WasmHeapBackend } from './wasm-heap.js';

/** Copies `rows` runs of `length` elements, `stride` apart in `src` from `start`, back to back into `dst`. */
function gatherRows(src: HeapArray, dst: HeapArray, rows: number, stride: number, start: number, length: number): void {
  for (let r = 0; r < rows; r++) copyRun(src, dst, start + r * stride, r * length, length);
}

/**
 * SplitV on wasm as one strided copy per output. The stock kernel slices each part with a
 * `set(subarray)` per innermost row, so a split along the channel axis (grouped convolution splits
 * its input and, backwards, its output gradient into groups of a few channels) allocated a view for
 * every pixel of every group: it was the slowest kernel of a ResNeXt training step. (tfjs splits
 * numeric tensors only, so every input lives on the heap.)
 */
export function splitVWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo[] {
  const { x } = inputs as { x: tf.TensorInfo };
  const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
  const splitAxis = tf.util.parseAxisParam(axis, x.shape)[0] as number;
  const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, splitAxis);
  const inner = x.shape.slice(splitAxis + 1).reduce((a, b) => a * b, 1);
  const rows = x.shape.slice(0, splitAxis).reduce((a, b) => a * b, 1);
  const stride = (x.shape[splitAxis] as number) * inner;
  const heap = backend as unknown as WasmHeapBackend;
  // Every output is allocated before any view is taken: an allocation can grow (and detach) the heap.
  const outs = sizes.map((size) =>
    heap.makeOutput(
      x.shape.map((d, i) => (i === splitAxis ? size : d)),
      x.dtype,
    ),
  );
  const src = heap.typedArrayFromHeap(x);
  let begin = 0;
  outs.forEach((out, g) => {
    const length = (sizes[g] as number) * inner;
    gatherRows(src, heap.typedArrayFromHeap(out), rows, stride, begin, length);
    begin += length;
  });
  return outs;
}
