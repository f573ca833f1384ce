import * as tf from '@tensorflow/tfjs-core';

/** Real and imaginary parts of a batch of 2-D spectra, `[n, h, w]` row-major. */
export interface Spectrum {
  real: Float64Array;
  imag: Float64Array;
  shape: [number, number, number];
  /** `tfjs` when the active backend has the FFT kernel (cpu, tensorflow), `dft` for the direct sum (wasm has none). */
  engine: 'tfjs' | 'dft';
}

/** True when the active tfjs backend registers the FFT and IFFT kernels. */
export function backendHasFft(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel('FFT', backend) !== undefined && tf.getKernel('IFFT', backend) !== undefined;
}

/**
 * The direct 2-D DFT, `X[u][v] = Σ_y Σ_x x[y][x] · e^{∓2πi(uy/H + vx/W)}` (minus sign forward; the
 * inverse adds the 1/(HW) factor), in float64: the reference, and the engine where tfjs has no FFT.
 */
function directDft(
  real: Float64Array,
  imag: Float64Array,
  [n, h, w]: [number, number, number],
  inverse: boolean,
): [Float64Array, Float64Array] {
  const outRe = new Float64Array(real.length);
  const outIm = new Float64Array(real.length);
  const sign = inverse ? 1 : -1;
  const scale = inverse ? 1 / (h * w) : 1;
  for (let b = 0; b < n; b++) {
    const base = b * h * w;
    for (let u = 0; u < h; u++)
      for (let v = 0; v < w; v++) {
        let re = 0;
        let im = 0;
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            const angle = sign * 2 * Math.PI * ((u * y) / h + (v * x) / w);
            const c = Math.cos(angle);
            const s = Math.sin(angle);
            const xr = real[base + y * w + x]!;
            const xi = imag[base + y * w + x]!;
            re += xr * c - xi * s;
            im += xr * s + xi * c;
          }
        outRe[base + u * w + v] = re * scale;
        outIm[base + u * w + v] = im * scale;
      }
  }
  return [outRe, outIm];
}

/** tfjs's 1-D FFT runs along the innermost axis: transform rows, transpose, transform rows again, transpose back. */
function tfjsFft(real: Float64Array, imag: Float64Array, shape: [number, number, number], inverse: boolean): [Float64Array, Float64Array] {
  const op = inverse ? tf.spectral.ifft : tf.spectral.fft;
  const [re, im] = tf.tidy(() => {
    const x = tf.complex(tf.tensor3d(Float32Array.from(real), shape), tf.tensor3d(Float32Array.from(imag), shape));
    const rows = op(x);
    const cols = op(tf.transpose(rows, [0, 2, 1]));
    const y = tf.transpose(cols, [0, 2, 1]);
    return [tf.real(y), tf.imag(y)];
  });
  const result: [Float64Array, Float64Array] = [Float64Array.from(re!.dataSync()), Float64Array.from(im!.dataSync())];
  re!.dispose();
  im!.dispose();
  return result;
}

/**
 * 2-D discrete Fourier transform of a batch `[n, h, w]` (`inverse` for the inverse, with 1/(HW)),
 * on tfjs's FFT ops when the backend has them and by the direct sum otherwise.
 */
export function fft2d(
  real: ArrayLike<number>,
  shape: [number, number, number],
  options: { imag?: ArrayLike<number>; inverse?: boolean; engine?: 'tfjs' | 'dft' } = {},
): Spectrum {
  const re = Float64Array.from(real);
  const im = options.imag ? Float64Array.from(options.imag) : new Float64Array(re.length);
  const engine = options.engine ?? (backendHasFft() ? 'tfjs' : 'dft');
  const [outRe, outIm] = (engine === 'tfjs' ? tfjsFft : directDft)(re, im, shape, options.inverse ?? false);
  return { real: outRe, imag: outIm, shape, engine };
}
