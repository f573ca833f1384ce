import type * as tf from '@tensorflow/tfjs-core';
import type { KernelParams } from '../replace-kernel.js';
import type { HeapArray, WasmHeapBackend } from './wasm-heap.js';

/**
 * Tile of a string tensor, whose values the wasm backend keeps off the heap as an array of byte
 * strings; the stock wasm Tile kernel aborts on them. Output element `i` takes input element
 * `i_k mod d_k` on every axis; only references are copied.
 */
function tileStrings(heap: WasmHeapBackend, x: tf.TensorInfo, reps: readonly number[]): tf.TensorInfo {
  const values = heap.readSync(x.dataId) as Uint8Array[];
  const outShape = x.shape.map((d, i) => d * (reps[i] as number));
  const out = new Array<Uint8Array>(outShape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) {
    let rest = i;
    let source = 0;
    let stride = 1;
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      const d = x.shape[axis] as number;
      const o = outShape[axis] as number;
      source += ((rest % o) % d) * stride;
      rest = Math.floor(rest / o);
      stride *= d;
    }
    out[i] = values[source] as Uint8Array;
  }
  return heap.makeOutput(outShape, 'string', undefined, out);
}

/** Fills `[start + filled, start + total)` with repeats of `[start, start + filled)`, doubling each copy. */
function repeatWithin(out: HeapArray, start: number, filled: number, total: number): void {
  let done = filled;
  while (done < total) {
    const n = Math.min(done, total - done);
    out.copyWithin(start + done, start, start + n);
    done += n;
  }
}

/**
 * Tile on wasm as block copies within the heap: each input row is copied once, then every axis's
 * repeats are made by doubling `copyWithin` (memmove). The stock kernel computes every output
 * element's source index in a scalar loop; batch-norm gradients tile per-channel statistics to the
 * full activation shape, which made Tile the slowest kernel of a ResNet training step. String
 * tensors, which live off the heap, are tiled in JavaScript.
 */
export function tileWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  const heap = backend as unknown as WasmHeapBackend;
  if (x.dtype === 'string') return tileStrings(heap, x, (attrs as unknown as { reps: number[] }).reps);
  const scalar = x.shape.length === 0;
  const reps = scalar ? [1] : (attrs as unknown as { reps: number[] }).reps;
  const shape = scalar ? [1] : x.shape;
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * (reps[i] as number));
  const out = heap.makeOutput(scalar ? [] : outShape, x.dtype);
  const src = heap.typedArrayFromHeap(x);
  const dst = heap.typedArrayFromHeap(out);
  if (dst.length === 0) return out;
  const outStride = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) outStride[i] = (outStride[i + 1] as number) * (outShape[i + 1] as number);
  const row = shape[rank - 1] as number;
  const rows = src.length / row;
  // Place each input row at its first output position, then repeat it along the last axis.
  for (let r = 0; r < rows; r++) {
    let rest = r;
    let offset = 0;
    for (let axis = rank - 2; axis >= 0; axis--) {
      const d = shape[axis] as number;
      offset += (rest % d) * (outStride[axis] as number);
      rest = Math.floor(rest / d);
    }
    dst.set(src.subarray(r * row, (r + 1) * row), offset);
    repeatWithin(dst, offset, row, outShape[rank - 1] as number);
  }
  // Then, from the innermost axis outwards, repeat each completed block along its axis.
  for (let axis = rank - 2; axis >= 0; axis--) {
    if (reps[axis] === 1) continue;
    const block = (shape[axis] as number) * (outStride[axis] as number);
    const prefixes = shape.slice(0, axis).reduce((a, b) => a * b, 1);
    for (let p = 0; p < prefixes; p++) {
      let rest = p;
      let offset = 0;
      for (let a = axis - 1; a >= 0; a--) {
        const d = shape[a] as number;
        offset += (rest % d) * (outStride[a] as number);
        rest = Math.floor(rest / d);
      }
      repeatWithin(dst, offset, block, (outShape[axis] as number) * (outStride[axis] as number));
    }
  }
  return out;
}
