import type * as tf from '@tensorflow/tfjs-core';
import { cpuTensor, cpuValues } from '../cpu/cpu-tensors.js';
import type { WasmHeapBackend } from '../wasm/wasm-heap.js';

/** The float32 arrays a host kernel reads and writes: inputs in the order given, then outputs. */
export type HostCompute = (inputs: Float32Array[], outputs: Float32Array[]) => void;

/**
 * Runs a kernel written as plain loops over float32 arrays on the `cpu` or `wasm` backend: the same
 * loops serve both, reading the cpu backend's arrays or views of the wasm heap in place. Every output
 * is allocated before any view is taken, because a wasm allocation can grow (and so detach) the heap.
 */
export function runHostKernel(
  backendName: 'cpu' | 'wasm',
  backend: unknown,
  inputs: tf.TensorInfo[],
  outputShapes: number[][],
  compute: HostCompute,
): tf.TensorInfo[] {
  if (backendName === 'wasm') {
    const heap = backend as WasmHeapBackend;
    const outs = outputShapes.map((shape) => heap.makeOutput(shape, 'float32'));
    compute(
      inputs.map((t) => heap.typedArrayFromHeap(t) as Float32Array),
      outs.map((t) => heap.typedArrayFromHeap(t) as Float32Array),
    );
    return outs;
  }
  const values = outputShapes.map((shape) => new Float32Array(shape.reduce((a, b) => a * b, 1)));
  compute(
    inputs.map((t) => cpuValues(backend, t)),
    values,
  );
  // The cpu backend keeps the array it is given, so writing before wrapping is the same as after.
  return outputShapes.map((shape, i) => cpuTensor(backend, shape, values[i] as Float32Array));
}
