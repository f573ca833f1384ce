import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ConvkitError, type Registry, SeededRng } from '@convkit/core';
import { detectCifarFolder, openCifarFolder } from './cifar.js';
import { pathExists } from './find-file.js';
import { looksLikeIdxFolder, openIdxFolder } from './idx-datasets.js';
import { looksLikeImageFolder, openImageFolder } from './image-folder.js';
import type { DatasetSplits, ImageShape } from './labeled-images.js';

/** Options every dataset `open` receives from the trainer. */
export interface OpenDatasetOptions {
  /** Seed for generated datasets and seeded hold-outs. */
  seed: number;
  /**
   * Input shape of the model, used to size decoded image folders. Formats with a fixed size (IDX,
   * CIFAR) and registered datasets such as `shapes` (28x28x1) ignore it; the model is built for
   * whatever shape the data has.
   */
  imageShape?: ImageShape;
  /** Told, once per dataset, what was done to images to fit the model (resized, turned grey). */
  onWarning?: (message: string) => void;
}

/** Opens a dataset folder by what is in it: IDX files, CIFAR binaries, or one folder per class. */
export async function openDatasetFolder(path: string, options: OpenDatasetOptions): Promise<DatasetSplits> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    throw new ConvkitError('bad-dataset-path', `dataset path ${path} is a file; pass the folder that holds the dataset files`);
  }
  if (await looksLikeIdxFolder(path)) return openIdxFolder(path, basename(resolve(path)));
  const cifar = await detectCifarFolder(path);
  if (cifar) return openCifarFolder(path, cifar);
  if (await looksLikeImageFolder(path)) {
    return openImageFolder(path, {
      rng: new SeededRng(options.seed),
      ...(options.imageShape ? { shape: options.imageShape } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
  }
  throw new ConvkitError(
    'unknown-dataset-format',
    `${path} holds no IDX files, CIFAR binaries or class folders; see \`convkit data info\` for the formats convkit reads`,
  );
}

/**
 * Opens `data`: a dataset registered by a plugin (`shapes`, `fashion-mnist`, ...) or a path to a
 * dataset folder. A name that is neither says which registered names are close, and a missing path
 * says so, both as one-line {@link ConvkitError}s.
 */
export async function openDataset(data: string, registry: Registry, options: OpenDatasetOptions): Promise<DatasetSplits> {
  if (!registry.datasets.has(data)) {
    if (await pathExists(data)) return openDatasetFolder(data, options);
    if (/[/\\.~]/.test(data)) {
      throw new ConvkitError(
        'missing-dataset-path',
        `dataset path ${data} does not exist; check the path, or pass a dataset name such as "shapes"`,
      );
    }
  }
  // For a name that is neither registered nor a path, the table's error lists the closest names.
  return (await registry.datasets.get(data).value.open({ ...options })) as DatasetSplits;
}
