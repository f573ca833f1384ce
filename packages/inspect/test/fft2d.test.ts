import { initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { backendHasFft, fft2d } from '../src/index.js';
import { randomValues } from './random.js';

const shape: [number, number, number] = [2, 4, 6];

function maxDifference(a: Float64Array, b: ArrayLike<number>): number {
  return a.reduce((worst, value, i) => Math.max(worst, Math.abs(value - b[i]!)), 0);
}

describe('fft2d on complex input', () => {
  it("the direct DFT equals tfjs's FFT on a complex batch, forward and inverse", async () => {
    await initBackend('cpu');
    const real = randomValues(2 * 4 * 6, 11);
    const imag = randomValues(2 * 4 * 6, 12);
    for (const inverse of [false, true]) {
      const direct = fft2d(real, shape, { imag, inverse, engine: 'dft' });
      const viaTfjs = fft2d(real, shape, { imag, inverse, engine: 'tfjs' });
      expect(maxDifference(direct.real, viaTfjs.real)).toBeLessThan(1e-4);
      expect(maxDifference(direct.imag, viaTfjs.imag)).toBeLessThan(1e-4);
    }
  });

  it('the inverse of the forward transform gives the complex input back (direct DFT, float64)', () => {
    const real = randomValues(2 * 4 * 6, 13);
    const imag = randomValues(2 * 4 * 6, 14);
    const forward = fft2d(real, shape, { imag, engine: 'dft' });
    const back = fft2d(forward.real, shape, { imag: forward.imag, inverse: true, engine: 'dft' });
    expect(maxDifference(back.real, real)).toBeLessThan(1e-12);
    expect(maxDifference(back.imag, imag)).toBeLessThan(1e-12);
  });

  it('the engine asked for is the one that runs: tfjs computes in float32, the direct sum in float64', async () => {
    await initBackend('cpu');
    expect(fft2d([0.1], [1, 1, 1], { engine: 'tfjs' }).real[0]).toBe(Math.fround(0.1));
    expect(fft2d([0.1], [1, 1, 1], { engine: 'dft' }).real[0]).toBe(0.1);
  });
});

describe('backendHasFft', () => {
  const borrowed: string[] = [];
  afterEach(() => {
    for (const name of borrowed.splice(0)) tf.unregisterKernel(name, 'wasm');
  });

  /** Registers cpu's kernel `name` on wasm, which has neither FFT nor IFFT. */
  function lendToWasm(name: 'FFT' | 'IFFT') {
    tf.registerKernel({ ...tf.getKernel(name, 'cpu')!, backendName: 'wasm' });
    borrowed.push(name);
  }

  it('needs both the FFT and the IFFT kernel on the active backend', async () => {
    await initBackend('wasm');
    expect(backendHasFft()).toBe(false);
    lendToWasm('FFT');
    expect(backendHasFft()).toBe(false);
    tf.unregisterKernel('FFT', 'wasm');
    borrowed.pop();
    lendToWasm('IFFT');
    expect(backendHasFft()).toBe(false);
    lendToWasm('FFT');
    expect(backendHasFft()).toBe(true);
  });
});
