import { ConvkitError } from '@convkit/core';
import { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16 } from './half-precision.js';

/**
 * Element types of a safetensors file that convkit reads: the float types weights come in, and the
 * integer types a PyTorch state_dict also holds (BatchNorm's `num_batches_tracked` is `I64`), so a
 * whole state_dict parses; only the float ones convert to weights.
 */
export const SAFETENSORS_DTYPES = {
  F64: { bytes: 8, float: true },
  F32: { bytes: 4, float: true },
  F16: { bytes: 2, float: true },
  BF16: { bytes: 2, float: true },
  I64: { bytes: 8, float: false },
  I32: { bytes: 4, float: false },
  I16: { bytes: 2, float: false },
  I8: { bytes: 1, float: false },
  U8: { bytes: 1, float: false },
  BOOL: { bytes: 1, float: false },
} as const;

/** A safetensors element type convkit reads (`F32`, `F16`, `BF16`, ...). */
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

/** Float types convkit writes. */
export type WritableDtype = 'F32' | 'F16' | 'BF16';

/** True when `name` is a dtype convkit reads. */
export function isSafetensorsDtype(name: unknown): name is SafetensorsDtype {
  return typeof name === 'string' && Object.hasOwn(SAFETENSORS_DTYPES, name);
}

/**
 * The values of little-endian `bytes` of `dtype` as float32 (integers too, exactly up to 2^24).
 * `bytes` must hold a whole number of elements; the readers check that before calling.
 */
export function decodeToFloat32(bytes: Uint8Array, dtype: SafetensorsDtype): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = SAFETENSORS_DTYPES[dtype].bytes;
  const count = bytes.byteLength / size;
  if (dtype === 'F32') {
    // Fast path: copy the bytes when aligned (the usual case) instead of decoding one by one.
    if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  const out = new Float32Array(count);
  const read: Record<SafetensorsDtype, (i: number) => number> = {
    F64: (i) => view.getFloat64(i * 8, true),
    F32: (i) => view.getFloat32(i * 4, true),
    F16: (i) => float16ToFloat32(view.getUint16(i * 2, true)),
    BF16: (i) => bfloat16ToFloat32(view.getUint16(i * 2, true)),
    I64: (i) => Number(view.getBigInt64(i * 8, true)),
    I32: (i) => view.getInt32(i * 4, true),
    I16: (i) => view.getInt16(i * 2, true),
    I8: (i) => view.getInt8(i),
    U8: (i) => view.getUint8(i),
    BOOL: (i) => (view.getUint8(i) ? 1 : 0),
  };
  const element = read[dtype];
  for (let i = 0; i < count; i++) out[i] = element(i);
  return out;
}

/** Little-endian bytes of `values` stored as `dtype`. */
export function encodeFromFloat32(values: ArrayLike<number>, dtype: WritableDtype): Uint8Array {
  const size = SAFETENSORS_DTYPES[dtype].bytes;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (dtype === 'F32') view.setFloat32(i * 4, value, true);
    else view.setUint16(i * 2, dtype === 'F16' ? float32ToFloat16(value) : float32ToBfloat16(value), true);
  }
  return out;
}

/** The error for a dtype convkit cannot read, naming the tensor and the dtypes it can. */
export function unsupportedDtype(source: string, name: string, dtype: unknown): ConvkitError {
  return new ConvkitError(
    'unsupported-dtype',
    `${source}: tensor "${name}" has dtype ${JSON.stringify(dtype)}, which convkit cannot read (it reads ${Object.keys(SAFETENSORS_DTYPES).join(', ')}); save the state_dict as float32, float16 or bfloat16`,
  );
}
