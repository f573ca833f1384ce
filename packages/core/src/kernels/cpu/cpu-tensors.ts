import type * as tf from '@tensorflow/tfjs-core';

interface CpuBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** The float32 values of a cpu-backend tensor, without copying when they already are float32. */
export function cpuValues(backend: unknown, t: tf.TensorInfo): Float32Array {
  const values = (backend as CpuBackend).readSync(t.dataId);
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

/** A new float32 cpu-backend tensor holding `values` (rounded from float64 accumulators if given). */
export function cpuTensor(backend: unknown, shape: number[], values: Float32Array | Float64Array): tf.TensorInfo {
  const f32 = values instanceof Float32Array ? values : Float32Array.from(values);
  return (backend as CpuBackend).makeTensorInfo(shape, 'float32', f32);
}
