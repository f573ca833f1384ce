import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ConvkitError, type SeededRng } from '@convkit/core';
import { decodeImage, resizeInto } from './decode-image.js';
import { pathExists } from './find-file.js';
import { ImageConversions } from './image-conversions.js';
import { type DatasetSplits, type ImageShape, LabeledImages } from './labeled-images.js';
import { holdOut } from './split.js';

/** File names the image readers take: PNG and JPEG. */
export const IMAGE_FILE = /\.(png|jpe?g)$/i;

/** How an image folder is read. */
export interface ImageFolderOptions {
  /** Size every image is resized to, as height, width, channels (1 or 3). Default: 32x32x3. */
  shape?: ImageShape;
  /** Fraction held out as the test set when the folder has no `train/` + `test/` subfolders. */
  testFraction?: number;
  /** Draws the held-out test images. */
  rng: SeededRng;
  /** Told once what was done to the images to fit `shape` (resized, colour turned grey). */
  onWarning?: (message: string) => void;
}

async function subfolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Whether `folder` is laid out one subfolder per class (or as `train/` + `test/` of such folders). */
export async function looksLikeImageFolder(folder: string): Promise<boolean> {
  return (await subfolders(folder)).length > 0;
}

async function readClassFolders(
  folder: string,
  classNames: readonly string[],
  shape: ImageShape,
  conversions: ImageConversions,
): Promise<LabeledImages> {
  const files: { path: string; label: number }[] = [];
  for (const [label, name] of classNames.entries()) {
    const classFolder = join(folder, name);
    const names = (await pathExists(classFolder)) ? (await readdir(classFolder)).filter((f) => IMAGE_FILE.test(f)).sort() : [];
    for (const file of names) files.push({ path: join(classFolder, file), label });
  }
  if (files.length === 0) {
    throw new ConvkitError(
      'empty-dataset',
      `${folder} has no PNG or JPEG images in its class folders (${classNames.join(', ')}); put images in one folder per class`,
    );
  }
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new ConvkitError('bad-option', `image folder channels must be 1 or 3, got ${c}`);
  const images = new Uint8Array(files.length * h * w * c);
  const labels = new Uint16Array(files.length);
  for (const [i, file] of files.entries()) {
    const decoded = decodeImage(await readFile(file.path), file.path);
    conversions.note(decoded);
    resizeInto(decoded, h, w, c, images.subarray(i * h * w * c, (i + 1) * h * w * c));
    labels[i] = file.label;
  }
  return new LabeledImages(images, labels, shape, classNames);
}

/**
 * Reads a folder of images with one subfolder per class (PNG or JPEG, decoded by pngjs / jpeg-js and
 * resized). With `train/` and `test/` subfolders those are the splits; otherwise `testFraction` of the
 * images (seeded) is held out as the test set.
 */
export async function openImageFolder(folder: string, options: ImageFolderOptions): Promise<DatasetSplits> {
  const shape = options.shape ?? [32, 32, 3];
  const top = await subfolders(folder);
  const conversions = new ImageConversions(shape);
  let splits: DatasetSplits;
  if (top.includes('train') && top.includes('test')) {
    const classNames = await subfolders(join(folder, 'train'));
    splits = {
      name: basename(folder),
      source: folder,
      train: await readClassFolders(join(folder, 'train'), classNames, shape, conversions),
      test: await readClassFolders(join(folder, 'test'), classNames, shape, conversions),
    };
  } else {
    const all = await readClassFolders(folder, top, shape, conversions);
    const { kept, heldOut } = holdOut(all, options.testFraction ?? 0.2, options.rng);
    splits = { name: basename(folder), source: folder, train: kept, test: heldOut };
  }
  const said = conversions.describe(folder);
  if (said) options.onWarning?.(said);
  return splits;
}
