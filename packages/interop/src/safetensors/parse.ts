import type { SafetensorsDtype } from './dtype.js';
import { headerLength, LENGTH_PREFIX_BYTES, parseHeader } from './header.js';

/** One tensor of a safetensors file: its dtype, shape and raw little-endian bytes. */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** A view of the file's bytes (not a copy). */
  bytes: Uint8Array;
}

/** The contents of a safetensors file: tensors by name, in file order, and its `__metadata__`. */
export interface SafetensorsContents {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/**
 * Parses a whole safetensors file held in memory, treating it as untrusted: the header length, every
 * tensor's dtype, shape and offsets are checked against the bytes (see {@link readSafetensors} for the
 * file-system reader, which checks them before reading the data). `source` names the file in errors.
 */
export function parseSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsContents {
  const length = headerLength(bytes.subarray(0, LENGTH_PREFIX_BYTES), bytes.byteLength, source);
  const dataStart = LENGTH_PREFIX_BYTES + length;
  const header = parseHeader(bytes.subarray(LENGTH_PREFIX_BYTES, dataStart), bytes.byteLength - dataStart, source);
  const data = bytes.subarray(dataStart);
  return contentsOf(header, data);
}

/** Tensors viewed in `data` at the header's checked offsets. */
export function contentsOf(header: ReturnType<typeof parseHeader>, data: Uint8Array): SafetensorsContents {
  const tensors = new Map<string, SafetensorsTensor>();
  for (const { name, dtype, shape, begin, end } of header.entries) tensors.set(name, { dtype, shape, bytes: data.subarray(begin, end) });
  return { tensors, metadata: header.metadata };
}
