/** One bin of adaptive pooling along an axis: input indices `[start, end)`. */
export interface Bin {
  start: number;
  end: number;
}

/**
 * PyTorch's adaptive pooling bins along one axis of length `size` split into `out` bins:
 * `start = floor(i * size / out)`, `end = ceil((i + 1) * size / out)`. Bins may overlap when `size`
 * is not divisible by `out`, and repeat input indices when `out > size`.
 */
export function adaptiveBins(size: number, out: number): Bin[] {
  return Array.from({ length: out }, (_, i) => ({
    start: Math.floor((i * size) / out),
    end: Math.ceil(((i + 1) * size) / out),
  }));
}
