import { type BackendName, initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendHasFft, convolutionTheorem, fft2d, frequencyResponse } from '../src/index.js';
import { randomMatrix, randomValues } from './random.js';

// cpu has tfjs's FFT kernels, wasm has none (the direct DFT runs): both engines are checked.
describe.each<BackendName>(['cpu', 'wasm'])('on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it(`uses ${backend === 'cpu' ? "tfjs's FFT" : 'the direct DFT'}`, () => {
    expect(backendHasFft()).toBe(backend === 'cpu');
  });

  it('spatial circular convolution equals the inverse FFT of the product of FFTs to 1e-4', () => {
    for (let seed = 0; seed < 3; seed++) {
      const check = convolutionTheorem(randomMatrix(16, 12, seed), randomMatrix(3, 5, 50 + seed));
      expect(check.engine).toBe(backend === 'cpu' ? 'tfjs' : 'dft');
      expect(check.maxAbsError).toBeLessThan(1e-4);
    }
  });

  it('the tfjs FFT and the direct DFT agree', () => {
    const values = randomValues(2 * 8 * 8, 3);
    const a = fft2d(values, [2, 8, 8], { engine: 'dft' });
    const b = fft2d(values, [2, 8, 8]);
    for (let i = 0; i < values.length; i++) {
      expect(Math.abs(a.real[i]! - b.real[i]!)).toBeLessThan(1e-4);
      expect(Math.abs(a.imag[i]! - b.imag[i]!)).toBeLessThan(1e-4);
    }
  });
});

describe('frequency response', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('a box blur passes zero frequency with gain 9 and a Laplacian blocks it', () => {
    const box = Array(9).fill(1);
    const laplacian = [0, 1, 0, 1, -4, 1, 0, 1, 0];
    const kernel = tf.tensor4d(
      box.flatMap((v, i) => [v, laplacian[i]!]),
      [3, 3, 1, 2],
    );
    const response = frequencyResponse(kernel, 16);
    const [blur, edge] = response.filters;
    expect(blur!.dc).toBeCloseTo(9, 4);
    expect(blur!.peak).toBeCloseTo(9, 4);
    expect(edge!.dc).toBeCloseTo(0, 4);
    // The Laplacian's largest gain, 8, is at the Nyquist corner (u, v) = (1/2, 1/2).
    expect(edge!.peak).toBeCloseTo(8, 4);
    expect(edge!.meanFrequency).toBeGreaterThan(blur!.meanFrequency);
  });

  it('magnitudes equal |Σ k[a][b] e^{-2πi(ua+vb)/N}| computed by hand', () => {
    const taps = Array.from(randomValues(9, 11));
    const response = frequencyResponse(tf.tensor4d(taps, [3, 3, 1, 1]), 8);
    const [u, v] = [3, 6];
    let re = 0;
    let im = 0;
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        const angle = (-2 * Math.PI * (u * a + v * b)) / 8;
        re += taps[a * 3 + b]! * Math.cos(angle);
        im += taps[a * 3 + b]! * Math.sin(angle);
      }
    // fftshift moves frequency (u, v) to ((u + 4) % 8, (v + 4) % 8).
    expect(response.magnitudes[0]![((u + 4) % 8) * 8 + ((v + 4) % 8)]).toBeCloseTo(Math.hypot(re, im), 4);
  });
});
