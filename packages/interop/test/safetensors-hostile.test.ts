import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isConvkitError } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, parseSafetensors, readSafetensors, serializeSafetensors } from '../src/index.js';
import { expectOneLineError } from './support/errors.js';

/** A file whose header is `header` (any JSON) over `dataBytes` zero bytes. */
function fileWithHeader(header: unknown, dataBytes: number, claimedLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + dataBytes);
  new DataView(out.buffer).setBigUint64(0, claimedLength ?? BigInt(json.byteLength), true);
  out.set(json, 8);
  return out;
}

const valid = serializeSafetensors([
  ['conv.weight', { shape: [2, 1, 3, 3], values: Array.from({ length: 18 }, (_, i) => i) }],
  ['conv.bias', { shape: [2], values: [1, 2], dtype: 'BF16' }],
]);

/** Every hostile input, with the reason its error must give. */
const HOSTILE: [string, Uint8Array, RegExp][] = [
  ['an empty file', new Uint8Array(0), /shorter than the 8-byte header length/],
  ['a header length over the limit', fileWithHeader({}, 0, BigInt(MAX_HEADER_BYTES) + 1n), /over the 100000000-byte limit/],
  ['a header length of 2^64 - 1', fileWithHeader({}, 0, 2n ** 64n - 1n), /over the 100000000-byte limit/],
  ['a header length past the end of the file', fileWithHeader({}, 0, 1000n), /truncated: its header claims 1000 bytes/],
  ['a header that is not JSON', fileWithHeader('{"a": ', 0), /not UTF-8 JSON/],
  ['a header that is an array', fileWithHeader([1, 2], 0), /not a JSON object/],
  [
    'offsets past the data',
    fileWithHeader({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8),
    /lies at bytes \[0, 16\) of a 8-byte data section/,
  ],
  ['offsets that run backwards', fileWithHeader({ w: { dtype: 'F32', shape: [0], data_offsets: [8, 4] } }, 8), /lies at bytes \[8, 4\)/],
  [
    'a shape that does not match the byte count',
    fileWithHeader({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8),
    /needs 12 bytes, its offsets give 8/,
  ],
  [
    'a shape whose size overflows',
    fileWithHeader({ w: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 8] } }, 8),
    /more than the file holds/,
  ],
  ['a negative size', fileWithHeader({ w: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, 8), /not a list of sizes/],
  ['fractional offsets', fileWithHeader({ w: { dtype: 'F32', shape: [2], data_offsets: [0.5, 8.5] } }, 9), /not \[begin, end\]/],
  [
    'an unsupported dtype',
    fileWithHeader({ w: { dtype: 'F8_E4M3', shape: [8], data_offsets: [0, 8] } }, 8),
    /dtype "F8_E4M3", which convkit cannot read/,
  ],
  ['a dtype that is an object', fileWithHeader({ w: { dtype: { toString: 1 }, shape: [8], data_offsets: [0, 8] } }, 8), /cannot read/],
  [
    'a dtype named like an Object property',
    fileWithHeader({ w: { dtype: 'constructor', shape: [8], data_offsets: [0, 8] } }, 8),
    /cannot read/,
  ],
  [
    'two tensors sharing bytes',
    fileWithHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12),
    /"a" and "b" overlap/,
  ],
  ['metadata that is not strings', fileWithHeader({ __metadata__: { a: 1 } }, 0), /__metadata__ is not a map of strings/],
];

async function asFile(bytes: Uint8Array): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'convkit-hostile-')), 'x.safetensors');
  await writeFile(path, bytes);
  return path;
}

describe.each(HOSTILE)('%s', (_, bytes, reason) => {
  it('is refused in memory with a one-line error giving the reason', () => {
    expectOneLineError(() => parseSafetensors(bytes, 'x.safetensors'), reason);
  });
  it('is refused from a file the same way', async () => {
    await expectOneLineError(readSafetensors(await asFile(bytes)), reason);
  });
});

it('every truncation of a valid file is refused with one line (or parses, when whole)', async () => {
  for (let cut = 0; cut < valid.byteLength; cut++) {
    expectOneLineError(() => parseSafetensors(valid.subarray(0, cut)), /not a valid safetensors file/);
  }
  expect(parseSafetensors(valid).tensors.size).toBe(2);
});

it('random byte corruptions either parse into checked tensors or give a one-line ConvkitError, never anything else', () => {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  let refused = 0;
  for (let trial = 0; trial < 2000; trial++) {
    const bytes = valid.slice();
    for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--)
      bytes[Math.floor(random() * bytes.byteLength)] = Math.floor(random() * 256);
    try {
      for (const tensor of parseSafetensors(bytes).tensors.values()) expect(tensor.bytes.byteLength).toBeLessThanOrEqual(bytes.byteLength);
    } catch (error) {
      expect(isConvkitError(error), String(error)).toBe(true);
      expect((error as Error).message).not.toContain('\n');
      refused++;
    }
  }
  expect(refused).toBeGreaterThan(100);
});

it('a missing file or a folder is named', async () => {
  await expectOneLineError(readSafetensors('/nonexistent/w.safetensors'), /cannot read \/nonexistent\/w.safetensors \(ENOENT\)/);
  await expectOneLineError(readSafetensors(tmpdir()), /not a regular file/);
});
