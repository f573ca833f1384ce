import { ConvkitError } from '@convkit/core';

/** A 2-D array of numbers, row-major (`m[row][column]`), computed in float64. */
export type Matrix = number[][];

function dims(m: Matrix, what: string): [number, number] {
  const rows = m.length;
  const cols = m[0]?.length ?? 0;
  if (rows === 0 || cols === 0 || m.some((r) => r.length !== cols)) {
    throw new ConvkitError('bad-matrix', `${what} must be a non-empty rectangular 2-D array; pass rows of equal length`);
  }
  return [rows, cols];
}

function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

/** The kernel rotated by 180 degrees: `flip(k)[a][b] = k[kh-1-a][kw-1-b]`. */
export function flipKernel(kernel: Matrix): Matrix {
  return [...kernel].reverse().map((row) => [...row].reverse());
}

/**
 * Cross-correlation, what deep-learning libraries call "convolution" (tf.conv2d, torch conv2d),
 * 'valid' region: `(x ⋆ k)[i][j] = Σ_a Σ_b x[i+a][j+b] · k[a][b]`, output `(H-kh+1) x (W-kw+1)`.
 */
export function crossCorrelate2d(x: Matrix, kernel: Matrix): Matrix {
  const [h, w] = dims(x, 'the input');
  const [kh, kw] = dims(kernel, 'the kernel');
  if (kh > h || kw > w) throw new ConvkitError('bad-matrix', `kernel ${kh}x${kw} is larger than the input ${h}x${w}; use a smaller kernel`);
  const out = zeros(h - kh + 1, w - kw + 1);
  for (let i = 0; i <= h - kh; i++) {
    for (let j = 0; j <= w - kw; j++) {
      let sum = 0;
      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) sum += (x[i + a] as number[])[j + b]! * (kernel[a] as number[])[b]!;
      (out[i] as number[])[j] = sum;
    }
  }
  return out;
}

/**
 * True (mathematical) convolution, computed from its definition `(x * k)[n] = Σ_m x[m] · k[n - m]`
 * (m, n in 2-D, terms outside either array are zero). `'full'` returns every n, `(H+kh-1) x (W+kw-1)`;
 * `'valid'` (default) the n where the kernel lies wholly inside the input, `(H-kh+1) x (W-kw+1)`.
 * It equals cross-correlation with the flipped kernel: `x * k = x ⋆ flip(k)`.
 */
export function convolve2d(x: Matrix, kernel: Matrix, mode: 'valid' | 'full' = 'valid'): Matrix {
  const [h, w] = dims(x, 'the input');
  const [kh, kw] = dims(kernel, 'the kernel');
  const full = zeros(h + kh - 1, w + kw - 1);
  for (let my = 0; my < h; my++) {
    for (let mx = 0; mx < w; mx++) {
      const value = (x[my] as number[])[mx] as number;
      for (let a = 0; a < kh; a++) {
        const row = full[my + a] as number[];
        for (let b = 0; b < kw; b++) row[mx + b] = (row[mx + b] as number) + value * (kernel[a] as number[])[b]!;
      }
    }
  }
  if (mode === 'full') return full;
  if (kh > h || kw > w) throw new ConvkitError('bad-matrix', `kernel ${kh}x${kw} is larger than the input ${h}x${w}; use mode 'full'`);
  return full.slice(kh - 1, h).map((row) => row.slice(kw - 1, w));
}

/**
 * Circular convolution on the `H x W` torus: `(x ⊛ k)[n] = Σ_m k[m] · x[(n - m) mod (H, W)]`, the
 * kernel zero-padded to the input's size. It is what the discrete Fourier transform diagonalises:
 * `DFT(x ⊛ k) = DFT(x) · DFT(k)` (the convolution theorem).
 */
export function circularConvolve2d(x: Matrix, kernel: Matrix): Matrix {
  const [h, w] = dims(x, 'the input');
  const [kh, kw] = dims(kernel, 'the kernel');
  if (kh > h || kw > w) throw new ConvkitError('bad-matrix', `kernel ${kh}x${kw} is larger than the input ${h}x${w}; use a smaller kernel`);
  const out = zeros(h, w);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      let sum = 0;
      for (let a = 0; a < kh; a++) {
        const row = x[(((i - a) % h) + h) % h] as number[];
        for (let b = 0; b < kw; b++) sum += (kernel[a] as number[])[b]! * (row[(((j - b) % w) + w) % w] as number);
      }
      (out[i] as number[])[j] = sum;
    }
  }
  return out;
}

/** Largest absolute element-wise difference of two equally shaped matrices. */
export function maxAbsDifference(a: Matrix, b: Matrix): number {
  const [h, w] = dims(a, 'the first matrix');
  const [h2, w2] = dims(b, 'the second matrix');
  if (h !== h2 || w !== w2)
    throw new ConvkitError('bad-matrix', `cannot compare a ${h}x${w} matrix with a ${h2}x${w2} one; pass equal shapes`);
  let max = 0;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) max = Math.max(max, Math.abs((a[i] as number[])[j]! - (b[i] as number[])[j]!));
  return max;
}
