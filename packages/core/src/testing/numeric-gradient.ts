/**
 * Gradient of a scalar function by central differences, `(f(x+h) - f(x-h)) / 2h` per coordinate,
 * evaluated in float64. The reference that every custom kernel's and layer's gradient is checked
 * against.
 */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, step = 1e-3): Float64Array {
  const gradient = new Float64Array(x.length);
  const probe = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const original = probe[i] as number;
    probe[i] = original + step;
    const up = f(probe);
    probe[i] = original - step;
    const down = f(probe);
    probe[i] = original;
    gradient[i] = (up - down) / (2 * step);
  }
  return gradient;
}

/**
 * Largest element-wise error of `actual` against `expected`, relative to the largest magnitude of
 * `expected` (so near-zero entries do not blow the ratio up).
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i] as number));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  return worst / Math.max(scale, 1e-12);
}

/** Largest absolute element-wise difference between two equally long arrays (outputs against a reference). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}
