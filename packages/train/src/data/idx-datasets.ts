import { ConvkitError } from '@convkit/core';
import { findFirstFile, pathExists } from './find-file.js';
import { readIdxPair } from './idx.js';
import { type DatasetSplits, LabeledImages } from './labeled-images.js';

/** One MNIST-format dataset: its class names and the folders it is looked for in. */
export interface IdxDatasetInfo {
  name: 'mnist' | 'fashion-mnist';
  classNames: readonly string[];
  /** Where the dataset is looked for when no folder is given (Debian's dataset packages first). */
  defaultFolders: readonly string[];
}

/** MNIST handwritten digits. */
export const MNIST: IdxDatasetInfo = {
  name: 'mnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  defaultFolders: ['/usr/share/datasets/mnist', 'data/mnist'],
};

/** Zalando's Fashion-MNIST; Debian ships it as `dataset-fashion-mnist`. */
export const FASHION_MNIST: IdxDatasetInfo = {
  name: 'fashion-mnist',
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  defaultFolders: ['/usr/share/datasets/fashion-mnist', 'data/fashion-mnist'],
};

// The official archives are gzipped; extracted copies circulate both as `-idx3-` and `.idx3-`.
function spellings(stem: string, kind: string): string[] {
  const names = [`${stem}-${kind}-ubyte`, `${stem}.${kind}-ubyte`];
  return [...names.map((n) => `${n}.gz`), ...names];
}

/** Whether `folder` holds an MNIST-format training image file. */
export async function looksLikeIdxFolder(folder: string): Promise<boolean> {
  return (await findFirstFile(folder, spellings('train-images', 'idx3'))) !== undefined;
}

async function requireFile(folder: string, stem: string, kind: string): Promise<string> {
  const path = await findFirstFile(folder, spellings(stem, kind));
  if (path) return path;
  throw new ConvkitError(
    'missing-dataset-file',
    `${folder} has no ${stem}-${kind}-ubyte(.gz); an IDX dataset folder needs train-images, train-labels, t10k-images and t10k-labels files`,
  );
}

/**
 * Reads the four IDX files of an MNIST-format dataset from `folder` (gzip or raw). Without
 * `classNames`, classes are named by index, as many as the larger label of either split needs, so a
 * small test split missing a class still lines up with the training split.
 */
export async function openIdxFolder(folder: string, name: string, classNames?: readonly string[]): Promise<DatasetSplits> {
  const train = await readIdxPair(
    await requireFile(folder, 'train-images', 'idx3'),
    await requireFile(folder, 'train-labels', 'idx1'),
    classNames,
  );
  const test = await readIdxPair(
    await requireFile(folder, 't10k-images', 'idx3'),
    await requireFile(folder, 't10k-labels', 'idx1'),
    classNames,
  );
  if (classNames || train.numClasses === test.numClasses) return { name, source: folder, train, test };
  const names = Array.from({ length: Math.max(train.numClasses, test.numClasses) }, (_, i) => String(i));
  const renamed = (set: LabeledImages) => new LabeledImages(set.images, set.labels, set.shape, names);
  return { name, source: folder, train: renamed(train), test: renamed(test) };
}

/**
 * Opens MNIST or Fashion-MNIST from `folder`, or from the first default folder that has it (Debian's
 * `/usr/share/datasets/...`). Not finding it is an error that says how to get it.
 */
export async function openIdxDataset(info: IdxDatasetInfo, folder?: string): Promise<DatasetSplits> {
  if (folder !== undefined) {
    if (!(await pathExists(folder))) {
      throw new ConvkitError(
        'missing-dataset-path',
        `dataset folder ${folder} does not exist; check the path or run \`convkit data download ${info.name}\``,
      );
    }
    return openIdxFolder(folder, info.name, info.classNames);
  }
  for (const candidate of info.defaultFolders) {
    if (await looksLikeIdxFolder(candidate)) return openIdxFolder(candidate, info.name, info.classNames);
  }
  const debian = info.name === 'fashion-mnist' ? 'apt-get install dataset-fashion-mnist, or ' : '';
  throw new ConvkitError(
    'dataset-not-found',
    `${info.name} was not found in ${info.defaultFolders.join(' or ')}; ${debian}run \`convkit data download ${info.name} --out DIR\` and pass --data DIR`,
  );
}
