import type * as tf from '@tensorflow/tfjs-core';
import type { KernelParams } from '../replace-kernel.js';

interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

/**
 * Identity on wasm as a second reference to the same heap data, as tfjs's cpu backend and the wasm
 * Reshape already do, instead of a copy: no tfjs kernel writes into its inputs. The gradient tape
 * clones every tensor it saves, so a wasm ResNet-20 training step ran 205 such copies.
 */
export function identityWasm({ inputs, backend }: KernelParams): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  (backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
