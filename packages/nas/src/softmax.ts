/** Softmax of one row of numbers (an edge's alphas), shifted by its maximum for stability. */
export function softmax(row: readonly number[]): number[] {
  const top = Math.max(...row);
  const e = row.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
