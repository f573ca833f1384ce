import type * as tf from '@tensorflow/tfjs-core';

/** A view of a numeric tensor's data on the wasm heap, by dtype. */
export type HeapArray = Float32Array | Int32Array | Uint8Array;

/**
 * The parts of tfjs-backend-wasm's backend that kernels written in JavaScript use to allocate
 * outputs and to read and write tensors in place on the heap. An allocation can grow (and so detach)
 * the heap: take views only after the last `makeOutput` before using them.
 */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Uint8Array[]): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): HeapArray;
  readSync(dataId: tf.DataId): unknown;
}
