import { createRng } from '@convkit/core';
import type { Matrix } from '../src/index.js';
import { seededNormalValues } from '../src/seeded-normal.js';

/** A seeded matrix of standard-normal values. */
export function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal(0, 1)));
}

/** Seeded standard-normal values. */
export function randomValues(count: number, seed: number): Float32Array {
  return seededNormalValues(count, seed);
}
