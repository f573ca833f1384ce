import { ConvkitError } from '@convkit/core';
import { isSafetensorsDtype, SAFETENSORS_DTYPES, type SafetensorsDtype, unsupportedDtype } from './dtype.js';

/** Largest JSON header convkit reads (the reference implementation's limit): a bigger one is not a weights file. */
export const MAX_HEADER_BYTES = 100_000_000;

/** Bytes of the little-endian u64 that opens a safetensors file with its header's length. */
export const LENGTH_PREFIX_BYTES = 8;

/** Where one tensor's bytes lie in the data section, checked against the file. */
export interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Start and end (exclusive) in the data section. */
  begin: number;
  end: number;
}

/** A parsed, checked header: the tensors in file order and the free-form `__metadata__`. */
export interface SafetensorsHeader {
  entries: TensorEntry[];
  metadata: Record<string, string>;
}

/** The error for a file that is not what its header says; `what` is the one-line reason. */
export function badFile(source: string, what: string): ConvkitError {
  return new ConvkitError(
    'corrupted-safetensors',
    `${source} is not a valid safetensors file (${what}); re-save it (safetensors.torch.save_file or convkit's helper script) or check the path`,
  );
}

/**
 * The header length from the first 8 bytes, checked against the limit and the file size before
 * anything of that length is allocated.
 */
export function headerLength(prefix: Uint8Array, fileBytes: number, source: string): number {
  if (fileBytes < LENGTH_PREFIX_BYTES || prefix.byteLength < LENGTH_PREFIX_BYTES) {
    throw badFile(source, `it is ${fileBytes} bytes, shorter than the 8-byte header length`);
  }
  const length = new DataView(prefix.buffer, prefix.byteOffset, LENGTH_PREFIX_BYTES).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES))
    throw badFile(source, `its header claims ${length} bytes, over the ${MAX_HEADER_BYTES}-byte limit`);
  const n = Number(length);
  if (LENGTH_PREFIX_BYTES + n > fileBytes) {
    throw badFile(source, `truncated: its header claims ${n} bytes but only ${fileBytes - LENGTH_PREFIX_BYTES} follow`);
  }
  return n;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Element count of `shape`, or undefined once it passes `limit` (so a lying shape cannot overflow). */
function elementCount(shape: number[], limit: number): number | undefined {
  let count = 1;
  for (const size of shape) {
    count *= size;
    if (count > limit) return undefined;
  }
  return count;
}

/** One header entry, checked: dtype known, shape and offsets integers, byte count that of the shape. */
function checkEntry(name: string, value: unknown, dataBytes: number, source: string): TensorEntry {
  if (!isRecord(value)) throw badFile(source, `entry "${name}" is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (!isSafetensorsDtype(dtype)) throw unsupportedDtype(source, name, dtype);
  if (!Array.isArray(shape) || !shape.every(isCount))
    throw badFile(source, `tensor "${name}" has shape ${JSON.stringify(shape)}, not a list of sizes`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw badFile(source, `tensor "${name}" has data_offsets ${JSON.stringify(offsets)}, not [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataBytes) {
    throw badFile(source, `tensor "${name}" lies at bytes [${begin}, ${end}) of a ${dataBytes}-byte data section`);
  }
  const size = SAFETENSORS_DTYPES[dtype].bytes;
  // Sizes multiply exactly below 2^53; a shape past that cannot describe bytes of any file.
  const count = elementCount(shape as number[], Number.MAX_SAFE_INTEGER / 8);
  if (count === undefined || count * size !== end - begin) {
    throw badFile(
      source,
      `tensor "${name}" of shape [${shape.join(', ')}] ${dtype} needs ${count === undefined ? 'more than the file holds' : `${count * size} bytes`}, its offsets give ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/**
 * Parses and checks a header's JSON against the data section's size: every tensor known, inside the
 * data, sized as its shape says, and no two tensors sharing bytes.
 */
export function parseHeader(json: Uint8Array, dataBytes: number, source: string): SafetensorsHeader {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw badFile(source, 'its header is not UTF-8 JSON');
  }
  if (!isRecord(header)) throw badFile(source, 'its header is not a JSON object');
  const metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
        throw badFile(source, '__metadata__ is not a map of strings');
      }
      Object.assign(metadata, value);
    } else {
      entries.push(checkEntry(name, value, dataBytes, source));
    }
  }
  const byStart = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < byStart.length; i++) {
    const [previous, next] = [byStart[i - 1] as TensorEntry, byStart[i] as TensorEntry];
    if (next.begin < previous.end) throw badFile(source, `tensors "${previous.name}" and "${next.name}" overlap`);
  }
  return { entries, metadata };
}
