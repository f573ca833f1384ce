import * as tf from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';

/**
 * The output shape the layer declares for `[batch, ...inputShape]` (computeOutputShape) and the shape
 * of what it actually returns on such a tensor, for `expect(declared).toEqual(actual)`.
 */
export function declaredAndActualShape(layer: layers.Layer, inputShape: number[], batch = 2): { declared: number[]; actual: number[] } {
  const full = [batch, ...inputShape];
  const declared = layer.computeOutputShape(full) as number[];
  const actual = tf.tidy(() => (layer.apply(tf.ones(full)) as tf.Tensor).shape);
  return { declared, actual };
}
