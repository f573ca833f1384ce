import { ConvkitError } from '@convkit/core';
import type * as tf from '@tensorflow/tfjs-core';
import { circularConvolve2d, type Matrix, maxAbsDifference } from './convolution.js';
import { fft2d } from './fft2d.js';

/** Magnitude spectra of a layer's filters, centred (zero frequency in the middle). */
export interface FrequencyResponse {
  /** Side of the zero-padded transform. */
  size: number;
  /** `[filter][u][v]` magnitudes, row-major, `fftshift`ed so (size/2, size/2) is frequency zero. */
  magnitudes: Float64Array[];
  /** Per filter: magnitude at frequency zero (the sum of its taps) and the magnitude-weighted mean radial frequency in cycles per pixel (0 to ~0.7). */
  filters: { dc: number; peak: number; meanFrequency: number }[];
  engine: 'tfjs' | 'dft';
}

/**
 * Frequency response of every output filter of an HWIO kernel: each `kh x kw` slice zero-padded to
 * `size x size`, `|K(u,v)| = |Σ_a Σ_b k[a][b] e^{-2πi(ua + vb)/size}|`, combined over input channels
 * as `sqrt(Σ_c |K_c|²)` (the filter's gain to white noise at that frequency). A smoothing filter
 * peaks at zero frequency; an edge detector has zero DC (its taps sum to 0) and peaks away from it.
 */
export function frequencyResponse(kernel: tf.Tensor4D, size = 32): FrequencyResponse {
  const [kh, kw, cin, cout] = kernel.shape;
  if (!(Number.isInteger(size) && size >= Math.max(kh, kw))) {
    throw new ConvkitError(
      'bad-option',
      `FFT size ${size} is smaller than the ${kh}x${kw} kernel; pass an integer size >= ${Math.max(kh, kw)}`,
    );
  }
  const taps = kernel.dataSync();
  const padded = new Float64Array(cin * cout * size * size);
  for (let a = 0; a < kh; a++)
    for (let b = 0; b < kw; b++)
      for (let ci = 0; ci < cin; ci++)
        for (let co = 0; co < cout; co++)
          padded[(co * cin + ci) * size * size + a * size + b] = taps[((a * kw + b) * cin + ci) * cout + co]!;
  const spectrum = fft2d(padded, [cin * cout, size, size]);
  const half = Math.floor(size / 2);
  const magnitudes: Float64Array[] = [];
  const filters: FrequencyResponse['filters'] = [];
  for (let co = 0; co < cout; co++) {
    const shifted = new Float64Array(size * size);
    let weighted = 0;
    let total = 0;
    for (let u = 0; u < size; u++)
      for (let v = 0; v < size; v++) {
        let power = 0;
        for (let ci = 0; ci < cin; ci++) {
          const at = (co * cin + ci) * size * size + u * size + v;
          power += spectrum.real[at]! ** 2 + spectrum.imag[at]! ** 2;
        }
        const magnitude = Math.sqrt(power);
        shifted[((u + half) % size) * size + ((v + half) % size)] = magnitude;
        // Signed frequencies: index u stands for u/size cycles per pixel when u < size/2, else (u - size)/size.
        const fu = (u < size - half ? u : u - size) / size;
        const fv = (v < size - half ? v : v - size) / size;
        weighted += magnitude * Math.hypot(fu, fv);
        total += magnitude;
      }
    magnitudes.push(shifted);
    filters.push({ dc: shifted[half * size + half]!, peak: Math.max(...shifted), meanFrequency: total > 0 ? weighted / total : 0 });
  }
  return { size, magnitudes, filters, engine: spectrum.engine };
}

/** Both sides of the convolution theorem for one input and kernel, and how far apart they are. */
export interface ConvolutionTheoremCheck {
  /** Circular convolution computed in space. */
  spatial: Matrix;
  /** `IDFT(DFT(x) · DFT(k))`, the kernel zero-padded to the input's size. */
  viaFourier: Matrix;
  maxAbsError: number;
  engine: 'tfjs' | 'dft';
}

/**
 * The convolution theorem `x ⊛ k = IDFT(DFT(x) · DFT(k))` for circular convolution on the input's
 * `H x W` grid: computes both sides (the spatial one from its definition) and their largest difference.
 */
export function convolutionTheorem(x: Matrix, kernel: Matrix): ConvolutionTheoremCheck {
  const spatial = circularConvolve2d(x, kernel);
  const h = x.length;
  const w = x[0]!.length;
  const padded = new Float64Array(h * w);
  kernel.forEach((row, a) => {
    row.forEach((value, b) => {
      padded[a * w + b] = value;
    });
  });
  const fx = fft2d(x.flat(), [1, h, w]);
  const fk = fft2d(padded, [1, h, w]);
  const re = fx.real.map((xr, i) => xr * fk.real[i]! - fx.imag[i]! * fk.imag[i]!);
  const im = fx.real.map((xr, i) => xr * fk.imag[i]! + fx.imag[i]! * fk.real[i]!);
  const back = fft2d(re, [1, h, w], { imag: im, inverse: true });
  const viaFourier = Array.from({ length: h }, (_, i) => Array.from(back.real.subarray(i * w, (i + 1) * w)));
  return { spatial, viaFourier, maxAbsError: maxAbsDifference(spatial, viaFourier), engine: fx.engine };
}
