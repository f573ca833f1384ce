/**
 * Where bilinear resampling reads along one axis: output pixel `o` blends input pixels `lo[o]` and
 * `hi[o]` with weights `1 - frac[o]` and `frac[o]`.
 */
export interface AxisTaps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float64Array;
}

/**
 * Bilinear taps of `outSize` output pixels sampling the `span` input pixels from `start` of an axis
 * of `inSize` pixels, with pixel centres aligned (as tf.image.resizeBilinear with halfPixelCenters)
 * and clamped at the borders. Computed once per axis, not per pixel: image-folder decoding and the
 * random resized crop share it.
 */
export function bilinearTaps(outSize: number, inSize: number, start = 0, span = inSize): AxisTaps {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  const scale = span / outSize;
  for (let o = 0; o < outSize; o++) {
    const s = Math.min(Math.max(start + (o + 0.5) * scale - 0.5, 0), inSize - 1);
    const i0 = Math.floor(s);
    lo[o] = i0;
    hi[o] = Math.min(i0 + 1, inSize - 1);
    frac[o] = s - i0;
  }
  return { lo, hi, frac };
}
