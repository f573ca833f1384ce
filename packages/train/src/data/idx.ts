import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { ConvkitError } from '@convkit/core';
import { type ImageShape, LabeledImages } from './labeled-images.js';

/** IDX magic number of an unsigned-byte image file with 3 dimensions (count, rows, columns). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** IDX magic number of an unsigned-byte label file with 1 dimension (count). */
export const IDX_LABELS_MAGIC = 0x00000801;

const GZIP_SIGNATURE = [0x1f, 0x8b];

/** A parsed IDX file: its dimensions and its uint8 payload. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Reads a file, gunzipping it when it starts with the gzip signature; names the file when it cannot. */
export async function readMaybeGzip(path: string): Promise<Uint8Array> {
  let raw: Uint8Array;
  try {
    raw = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConvkitError(
      'missing-dataset-file',
      `cannot read dataset file ${path} (${code ?? 'unreadable'}); check the path, or run \`convkit data download\``,
    );
  }
  if (raw[0] !== GZIP_SIGNATURE[0] || raw[1] !== GZIP_SIGNATURE[1]) return raw;
  try {
    return gunzipSync(raw);
  } catch (error) {
    throw new ConvkitError('corrupted-dataset', `${path} is not a complete gzip file (${(error as Error).message}); download it again`);
  }
}

/**
 * Parses an IDX buffer (the MNIST file format), checking its magic number and that its length is
 * exactly what the header declares, so a truncated or foreign file is an error and not garbage data.
 */
export function parseIdx(bytes: Uint8Array, expectedMagic: number, path: string): IdxArray {
  const expectedDims = expectedMagic & 0xff;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = bytes.byteLength >= 4 ? view.getUint32(0) : -1;
  if (magic !== expectedMagic) {
    const seen = magic < 0 ? 'a file shorter than 4 bytes' : `0x${magic.toString(16).padStart(8, '0')}`;
    throw new ConvkitError(
      'bad-idx-magic',
      `${path} is not an IDX ${expectedDims === 3 ? 'image' : 'label'} file: magic number ${seen}, expected 0x${expectedMagic.toString(16).padStart(8, '0')}; check that images and labels are not swapped and the file is MNIST-format`,
    );
  }
  const headerBytes = 4 + 4 * expectedDims;
  if (bytes.byteLength < headerBytes) {
    throw new ConvkitError(
      'truncated-idx',
      `${path} is truncated: ${bytes.byteLength} bytes, shorter than its ${headerBytes}-byte header; download it again`,
    );
  }
  const dims = Array.from({ length: expectedDims }, (_, i) => view.getUint32(4 + 4 * i));
  const payload = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.byteLength - headerBytes;
  if (actual !== payload) {
    const what = actual < payload ? 'truncated' : 'longer than its header says';
    throw new ConvkitError(
      actual < payload ? 'truncated-idx' : 'bad-idx-size',
      `${path} is ${what}: header declares ${dims.join('x')} = ${payload} bytes of data, file has ${actual}; download it again`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/**
 * Reads an IDX image file and its label file (gzip or raw) into {@link LabeledImages}; a label count
 * that differs from the image count is an error naming both files. Without `classNames` the classes
 * are named by their index, as many as the largest label needs.
 */
export async function readIdxPair(imagesPath: string, labelsPath: string, classNames?: readonly string[]): Promise<LabeledImages> {
  const images = parseIdx(await readMaybeGzip(imagesPath), IDX_IMAGES_MAGIC, imagesPath);
  const labels = parseIdx(await readMaybeGzip(labelsPath), IDX_LABELS_MAGIC, labelsPath);
  const [count, rows, cols] = images.dims as [number, number, number];
  const labelCount = labels.dims[0] as number;
  if (labelCount !== count) {
    throw new ConvkitError(
      'label-count-mismatch',
      `${labelsPath} has ${labelCount} labels but ${imagesPath} has ${count} images; use the label file that belongs to these images`,
    );
  }
  const shape: ImageShape = [rows, cols, 1];
  // A loop, not Math.max(...labels): spreading 100k+ labels (EMNIST, QMNIST) overflows the call stack.
  let largest = -1;
  for (const label of labels.data) largest = Math.max(largest, label);
  const names = classNames ?? Array.from({ length: largest + 1 }, (_, i) => String(i));
  return new LabeledImages(images.data, Uint16Array.from(labels.data), shape, names);
}
