import { createRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';

/** `count` standard-normal values from convkit's seeded RNG. */
export function seededNormalValues(count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => rng.normal(0, 1));
}

/**
 * A tensor of standard-normal values from convkit's seeded RNG. Not `tf.randomNormal(shape, 0, 1,
 * dtype, seed)`: tfjs treats a seed of 0 as "no seed" and draws from `Math.random`, so seed 0, convkit's
 * default, would give different inputs, and different figures, on every run.
 */
export function seededNormal(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    seededNormalValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}
