import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../src/augment/symmetric-eigen.js';

describe('symmetricEigen', () => {
  it('reconstructs a symmetric 3x3 matrix as V diag(values) V^T', () => {
    const a = [
      [4, 1, 0.5],
      [1, 3, 0.25],
      [0.5, 0.25, 2],
    ];
    const { values, vectors } = symmetricEigen(a);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const sum = values.reduce(
          (s, l, k) => s + l * ((vectors[k] as number[])[i] as number) * ((vectors[k] as number[])[j] as number),
          0,
        );
        expect(sum).toBeCloseTo((a[i] as number[])[j] as number, 10);
      }
    }
    expect(values.reduce((a2, b) => a2 + b, 0)).toBeCloseTo(9, 10);
  });
});
