import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A tensor stored by `fixtures/make_fixtures.py`: NHWC (kernels HWIO) shape and flat values. */
export interface StoredTensor {
  shape: number[];
  values: number[];
}

/** One PyTorch reference case: a module's options, input, weights by layer name and outputs. */
export interface ModuleCase {
  module: 'se' | 'cbam';
  options: Record<string, unknown>;
  input: StoredTensor;
  weights: Record<string, StoredTensor[]>;
  eval: StoredTensor;
  train?: StoredTensor;
}

/** The cases of `fixtures/modules.json`. */
export const moduleCases = (
  JSON.parse(readFileSync(new URL('../fixtures/modules.json', import.meta.url), 'utf8')) as { cases: ModuleCase[] }
).cases;

/** A float32 tensor of a stored one. */
export function tensorOf(stored: StoredTensor): tf.Tensor {
  return tf.tensor(stored.values, stored.shape, 'float32');
}

/** Writes the case's weights into the model's layers of the same names. */
export function loadCaseWeights(m: LayersModel, weights: ModuleCase['weights']): void {
  for (const [name, tensors] of Object.entries(weights)) m.getLayer(name).setWeights(tensors.map(tensorOf));
}
