import { ConvkitError } from '@convkit/core';
import { encodeFromFloat32, type WritableDtype } from './dtype.js';
import { LENGTH_PREFIX_BYTES } from './header.js';

/** A tensor to write: its shape and float values, stored as `dtype` (default the file's). */
export interface TensorToWrite {
  shape: number[];
  values: ArrayLike<number>;
  dtype?: WritableDtype;
}

/** Options of {@link serializeSafetensors}. */
export interface SerializeOptions {
  /** Storage type of tensors that do not name theirs; default `F32`. */
  dtype?: WritableDtype;
  /** Free-form string pairs stored as `__metadata__`. */
  metadata?: Record<string, string>;
}

/**
 * The bytes of a safetensors file holding `tensors` in the given order: the u64 header length, the JSON
 * header (padded with spaces to a multiple of 8 bytes, so every tensor starts aligned), then the tensors' bytes back to back, as the
 * reference reader requires (no gaps).
 */
export function serializeSafetensors(tensors: Iterable<[string, TensorToWrite]>, options: SerializeOptions = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (options.metadata) header.__metadata__ = options.metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of tensors) {
    const count = tensor.shape.reduce((n, s) => n * s, 1);
    if (count !== tensor.values.length) {
      throw new ConvkitError(
        'bad-tensor',
        `tensor "${name}" has shape [${tensor.shape.join(', ')}] (${count} values) but ${tensor.values.length} values were given; pass values of the shape's size`,
      );
    }
    const dtype = tensor.dtype ?? options.dtype ?? 'F32';
    const bytes = encodeFromFloat32(tensor.values, dtype);
    header[name] = { dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + headerBytes + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, LENGTH_PREFIX_BYTES);
  out.fill(0x20, LENGTH_PREFIX_BYTES + json.byteLength, LENGTH_PREFIX_BYTES + headerBytes);
  let position = LENGTH_PREFIX_BYTES + headerBytes;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.byteLength;
  }
  return out;
}
