import { ConvkitError } from '@convkit/core';

/** One regular file of a tar archive. */
export interface TarEntry {
  path: string;
  data: Uint8Array;
}

const BLOCK = 512;

function field(header: Uint8Array, start: number, length: number): string {
  const bytes = header.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

/**
 * Lists the regular files of an uncompressed ustar archive (what the CIFAR archives are), enough to
 * unpack them without a dependency; directories and links are skipped.
 */
export function readTar(archive: Uint8Array, source: string): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= archive.byteLength) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 155);
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] as number);
    const start = offset + BLOCK;
    if (Number.isNaN(size) || start + size > archive.byteLength) {
      throw new ConvkitError('corrupted-archive', `${source} is truncated or not a tar archive (entry "${name}"); download it again`);
    }
    if (type === '0' || type === '\0')
      entries.push({ path: prefix ? `${prefix}/${name}` : name, data: archive.subarray(start, start + size) });
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
