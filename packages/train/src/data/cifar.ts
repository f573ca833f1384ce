import { readFile } from 'node:fs/promises';
import { ConvkitError } from '@convkit/core';
import { findFirstFile } from './find-file.js';
import { readMaybeGzip } from './idx.js';
import { type DatasetSplits, type ImageShape, LabeledImages } from './labeled-images.js';

const CIFAR_SHAPE: ImageShape = [32, 32, 3];
const PIXELS = 32 * 32 * 3;

/** The two CIFAR binary layouts: how many label bytes precede each image and which one to use. */
export interface CifarVariant {
  name: 'cifar10' | 'cifar100';
  /** Label bytes per record (CIFAR-100 stores coarse then fine). */
  labelBytes: number;
  /** Files of the training set, in order. */
  trainFiles: readonly string[];
  testFile: string;
  /** File listing class names, one per line. */
  namesFile: string;
  numClasses: number;
}

/** CIFAR-10 binary version (`cifar-10-batches-bin`). */
export const CIFAR10: CifarVariant = {
  name: 'cifar10',
  labelBytes: 1,
  trainFiles: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  testFile: 'test_batch.bin',
  namesFile: 'batches.meta.txt',
  numClasses: 10,
};

/** CIFAR-100 binary version (`cifar-100-binary`), with the 100 fine labels. */
export const CIFAR100: CifarVariant = {
  name: 'cifar100',
  labelBytes: 2,
  trainFiles: ['train.bin'],
  testFile: 'test.bin',
  namesFile: 'fine_label_names.txt',
  numClasses: 100,
};

/**
 * Decodes CIFAR binary records (label byte(s), then 1024 red, 1024 green, 1024 blue bytes) into NHWC
 * uint8 images; a file that is not a whole number of records is reported as truncated.
 */
export function decodeCifarRecords(bytes: Uint8Array, variant: CifarVariant, path: string): { images: Uint8Array; labels: Uint16Array } {
  const record = variant.labelBytes + PIXELS;
  if (bytes.byteLength === 0 || bytes.byteLength % record !== 0) {
    throw new ConvkitError(
      'truncated-cifar',
      `${path} is ${bytes.byteLength} bytes, not a whole number of ${record}-byte ${variant.name} records; the file is truncated or not ${variant.name} binary`,
    );
  }
  const count = bytes.byteLength / record;
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint16Array(count);
  const plane = 1024;
  for (let n = 0; n < count; n++) {
    const base = n * record;
    // The fine label is the last label byte (CIFAR-100 stores coarse first).
    labels[n] = bytes[base + variant.labelBytes - 1] as number;
    const pixels = base + variant.labelBytes;
    const out = n * PIXELS;
    for (let p = 0; p < plane; p++) {
      images[out + 3 * p] = bytes[pixels + p] as number;
      images[out + 3 * p + 1] = bytes[pixels + plane + p] as number;
      images[out + 3 * p + 2] = bytes[pixels + 2 * plane + p] as number;
    }
  }
  return { images, labels };
}

async function readCifarFiles(
  folder: string,
  files: readonly string[],
  variant: CifarVariant,
  classNames: readonly string[],
): Promise<LabeledImages> {
  const parts: { images: Uint8Array; labels: Uint16Array }[] = [];
  for (const file of files) {
    const path = await findFirstFile(folder, [file, `${file}.gz`]);
    if (!path)
      throw new ConvkitError('missing-dataset-file', `${folder} has no ${file}; a ${variant.name} folder is the extracted binary archive`);
    parts.push(decodeCifarRecords(await readMaybeGzip(path), variant, path));
  }
  const total = parts.reduce((n, p) => n + p.labels.length, 0);
  const images = new Uint8Array(total * PIXELS);
  const labels = new Uint16Array(total);
  let offset = 0;
  for (const part of parts) {
    images.set(part.images, offset * PIXELS);
    labels.set(part.labels, offset);
    offset += part.labels.length;
  }
  return new LabeledImages(images, labels, CIFAR_SHAPE, classNames);
}

async function readClassNames(folder: string, variant: CifarVariant): Promise<string[]> {
  const path = await findFirstFile(folder, [variant.namesFile]);
  const fallback = Array.from({ length: variant.numClasses }, (_, i) => String(i));
  if (!path) return fallback;
  const names = (await readFile(path, 'utf8'))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return names.length === variant.numClasses ? names : fallback;
}

/** Whether `folder` holds CIFAR binary files, and which variant. */
export async function detectCifarFolder(folder: string): Promise<CifarVariant | undefined> {
  for (const variant of [CIFAR10, CIFAR100]) {
    if (await findFirstFile(folder, [variant.testFile, `${variant.testFile}.gz`])) return variant;
  }
  return undefined;
}

/** Opens an extracted CIFAR-10 or CIFAR-100 binary archive folder. */
export async function openCifarFolder(folder: string, variant: CifarVariant): Promise<DatasetSplits> {
  const classNames = await readClassNames(folder, variant);
  return {
    name: variant.name,
    source: folder,
    train: await readCifarFiles(folder, variant.trainFiles, variant, classNames),
    test: await readCifarFiles(folder, [variant.testFile], variant, classNames),
  };
}
