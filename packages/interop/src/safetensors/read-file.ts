import { open } from 'node:fs/promises';
import { ConvkitError } from '@convkit/core';
import { badFile, headerLength, LENGTH_PREFIX_BYTES, parseHeader } from './header.js';
import { contentsOf, type SafetensorsContents } from './parse.js';

async function readExactly(
  handle: import('node:fs/promises').FileHandle,
  length: number,
  position: number,
  path: string,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw badFile(path, `truncated while reading: ${done} of ${length} bytes at ${position}`);
    done += bytesRead;
  }
  return buffer;
}

/**
 * Reads a safetensors file as untrusted input: the header's length is checked against the limit and the
 * file's size, and every tensor's dtype, shape and offsets against the data, before the data is read
 * (so a lying header allocates nothing beyond the file's own size).
 */
export async function readSafetensors(path: string): Promise<SafetensorsContents> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConvkitError('missing-file', `cannot read ${path} (${code ?? 'error'}); check the path to the .safetensors file`, {
      cause: error,
    });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw badFile(path, 'it is not a regular file');
    const size = stats.size;
    const length = headerLength(await readExactly(handle, Math.min(LENGTH_PREFIX_BYTES, size), 0, path), size, path);
    const dataStart = LENGTH_PREFIX_BYTES + length;
    const header = parseHeader(await readExactly(handle, length, LENGTH_PREFIX_BYTES, path), size - dataStart, path);
    return contentsOf(header, await readExactly(handle, size - dataStart, dataStart, path));
  } finally {
    await handle.close();
  }
}
