import { weightSpecBytes } from '@convkit/core';
import type { io } from '@tensorflow/tfjs-core';
import { float32ToFloat16 } from '../safetensors/half-precision.js';

/** Storage of a compact tfjs model's weights: IEEE float16, or 8-bit affine (`v = q * scale + min`) per tensor. */
export type WeightStorage = 'float16' | 'uint8';

/** The quantized bytes and manifest entry of one float32 weight. */
function quantize(spec: io.WeightsManifestEntry, values: Float32Array, storage: WeightStorage): [io.WeightsManifestEntry, Uint8Array] {
  if (storage === 'float16') {
    const half = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) half[i] = float32ToFloat16(values[i] as number);
    return [{ ...spec, quantization: { dtype: 'float16' } }, new Uint8Array(half.buffer)];
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) [min, max] = [0, 0];
  // A constant tensor (a fresh bias, a BN scale of ones) has no range: any scale decodes it exactly.
  const scale = max > min ? (max - min) / 255 : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round(((values[i] as number) - min) / scale);
  return [{ ...spec, quantization: { dtype: 'uint8', min, scale } }, bytes];
}

/**
 * Re-stores a tfjs model's float32 weights as `storage` (other dtypes are kept as they are): the
 * weights manifest's `quantization` entries that plain tfjs `loadLayersModel` decodes back to float32.
 */
export function quantizeWeights(
  specs: io.WeightsManifestEntry[],
  data: ArrayBuffer,
  storage: WeightStorage,
): { specs: io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const out: io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = weightSpecBytes(spec);
    const bytes = data.slice(offset, offset + size);
    offset += size;
    if (spec.dtype === 'float32' && !spec.quantization) {
      const [entry, chunk] = quantize(spec, new Float32Array(bytes), storage);
      out.push(entry);
      chunks.push(chunk);
    } else {
      // Integer and already-quantized weights keep their bytes.
      out.push(spec);
      chunks.push(new Uint8Array(bytes));
    }
  }
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let position = 0;
  for (const chunk of chunks) {
    joined.set(chunk, position);
    position += chunk.byteLength;
  }
  return { specs: out, data: joined.buffer };
}
