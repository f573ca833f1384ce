import { initBackend } from '@convkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { circularConvolve2d, convolve2d, crossCorrelate2d, flipKernel, maxAbsDifference } from '../src/index.js';
import { randomMatrix } from './random.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('convolution and cross-correlation', () => {
  it('cross-correlation equals convolution with the flipped kernel, on random inputs', () => {
    for (let seed = 0; seed < 5; seed++) {
      const x = randomMatrix(9, 11, seed);
      const k = randomMatrix(3, 4, 100 + seed);
      expect(maxAbsDifference(crossCorrelate2d(x, k), convolve2d(x, flipKernel(k)))).toBeLessThan(1e-12);
      expect(maxAbsDifference(convolve2d(x, k), crossCorrelate2d(x, flipKernel(k)))).toBeLessThan(1e-12);
    }
  });

  it('the two differ for a kernel that is not symmetric under a 180-degree turn', () => {
    const x = randomMatrix(6, 6, 1);
    const k = [
      [1, 0],
      [0, 0],
    ];
    expect(maxAbsDifference(crossCorrelate2d(x, k), convolve2d(x, k))).toBeGreaterThan(0.1);
  });

  it('convolution is linear in the kernel: x * (a·k1 + b·k2) = a·(x * k1) + b·(x * k2)', () => {
    const x = randomMatrix(8, 8, 2);
    const k1 = randomMatrix(3, 3, 3);
    const k2 = randomMatrix(3, 3, 4);
    const [a, b] = [1.7, -0.3];
    const mixed = k1.map((row, i) => row.map((v, j) => a * v + b * k2[i]![j]!));
    const left = convolve2d(x, mixed);
    const y1 = convolve2d(x, k1);
    const y2 = convolve2d(x, k2);
    const right = y1.map((row, i) => row.map((v, j) => a * v + b * y2[i]![j]!));
    expect(maxAbsDifference(left, right)).toBeLessThan(1e-12);
  });

  it('full convolution is commutative, x * k = k * x', () => {
    const x = randomMatrix(5, 6, 5);
    const k = randomMatrix(3, 2, 6);
    expect(maxAbsDifference(convolve2d(x, k, 'full'), convolve2d(k, x, 'full'))).toBeLessThan(1e-12);
  });

  it('circular convolution commutes with circular shifts of the input', () => {
    const x = randomMatrix(7, 7, 7);
    const k = randomMatrix(3, 3, 8);
    const shift = (m: number[][], dy: number, dx: number) => m.map((_, i) => m[0]!.map((__, j) => m[(i - dy + 7) % 7]![(j - dx + 7) % 7]!));
    expect(maxAbsDifference(circularConvolve2d(shift(x, 2, 3), k), shift(circularConvolve2d(x, k), 2, 3))).toBeLessThan(1e-12);
  });

  it('refuses a kernel larger than the input in one line', () => {
    expect(() => crossCorrelate2d(randomMatrix(2, 2, 0), randomMatrix(3, 3, 0))).toThrow(/kernel 3x3 is larger than the input 2x2/);
  });
});
