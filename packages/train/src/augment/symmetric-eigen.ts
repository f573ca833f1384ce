/** Eigenvalues and unit eigenvectors of a symmetric matrix; `vectors[i]` belongs to `values[i]`. */
export interface EigenDecomposition {
  values: number[];
  vectors: number[][];
}

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: exact to float64
 * round-off for the 3x3 covariance the PCA colour augmentation needs, without a linear-algebra
 * dependency.
 */
export function symmetricEigen(matrix: readonly (readonly number[])[]): EigenDecomposition {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const at = (m: number[][], i: number, j: number) => (m[i] as number[])[j] as number;
  const set = (m: number[][], i: number, j: number, value: number) => {
    (m[i] as number[])[j] = value;
  };
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += at(a, p, q) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(at(a, p, q)) < 1e-300) continue;
        const theta = (at(a, q, q) - at(a, p, p)) / (2 * at(a, p, q));
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = at(a, k, p);
          const akq = at(a, k, q);
          set(a, k, p, c * akp - s * akq);
          set(a, k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = at(a, p, k);
          const aqk = at(a, q, k);
          set(a, p, k, c * apk - s * aqk);
          set(a, q, k, s * apk + c * aqk);
        }
        for (let k = 0; k < n; k++) {
          const vkp = at(v, k, p);
          const vkq = at(v, k, q);
          set(v, k, p, c * vkp - s * vkq);
          set(v, k, q, s * vkp + c * vkq);
        }
      }
    }
  }
  // Column j of v is the eigenvector of a[j][j].
  return {
    values: Array.from({ length: n }, (_, i) => at(a, i, i)),
    vectors: Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, i) => at(v, i, j))),
  };
}
