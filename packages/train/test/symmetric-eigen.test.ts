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

  it('[[2, 1], [1, 2]]: one rotation by 45 degrees gives values [1, 3] with vectors (1, -1)/sqrt 2 and (1, 1)/sqrt 2, in that order', () => {
    // Equal diagonal entries make theta 0; the smaller root t = 1 rotates by pi/4 (the larger one,
    // t = -1, would give the same pairs in the other order, and PCA jitter draws alpha per position).
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    const r = Math.SQRT1_2;
    expect(values.map((v) => v.toFixed(12))).toEqual(['1.000000000000', '3.000000000000']);
    expect(vectors.flat().map((v) => v.toFixed(12))).toEqual([r, -r, r, r].map((v) => v.toFixed(12)));
  });

  it('skips a pair whose entry is already zero, even between equal diagonal entries', () => {
    // Rotating the (0, 1) or (0, 2) pair of this matrix first would divide 0 by 0; its eigenvalues
    // are 2, then 1 and 3 from the (1, 2) block.
    const { values, vectors } = symmetricEigen([
      [2, 0, 0],
      [0, 2, 1],
      [0, 1, 2],
    ]);
    expect(values.map((v) => v.toFixed(12))).toEqual(['2.000000000000', '1.000000000000', '3.000000000000']);
    expect(vectors[0]).toEqual([1, 0, 0]);
  });

  it('returns a diagonal matrix as it is, with the unit vectors', () => {
    const { values, vectors } = symmetricEigen([
      [3, 0, 0],
      [0, 1, 0],
      [0, 0, 2],
    ]);
    expect(values).toEqual([3, 1, 2]);
    expect(vectors).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });
});
