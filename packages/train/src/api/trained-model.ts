import { readFile } from 'node:fs/promises';
import { registry as defaultRegistry, type Registry } from '@convkit/core';
import { decodeImage, resizeInto } from '../data/decode-image.js';
import { makeBatch, normalizeBatch } from '../data/image-batch.js';
import { ImageConversions } from '../data/image-conversions.js';
import { LabeledImages } from '../data/labeled-images.js';
import { plugin } from '../plugin.js';
import type { ModelMetadata } from '../train/model-metadata.js';
import { rebuildTrainedModel, type TrainedModel } from '../train/rebuild-model.js';

export type { TrainedModel } from '../train/rebuild-model.js';

/**
 * Opens the model of a `convkit train` output folder (or its `model/` subfolder): reads its metadata,
 * rebuilds the architecture through the registry for the trained input shape and classes, and loads
 * the saved weights. The caller disposes `model`.
 */
export async function openTrainedModel(path: string, registry: Registry = defaultRegistry): Promise<TrainedModel> {
  return rebuildTrainedModel(path, registry.use(plugin));
}

/**
 * Reads PNG/JPEG files as a trained model's input: decoded, resized bilinearly to its input (grey
 * for one channel), scaled to [0, 1] and normalized with the training statistics, exactly as
 * training and evaluation fed it. Returns NHWC floats; `conversions` (pass one to tally several
 * calls) says how images were changed to fit, for one warning.
 */
export async function readModelImages(
  files: string[],
  metadata: Pick<ModelMetadata, 'inputShape' | 'classNames' | 'normalization'>,
  conversions: ImageConversions = new ImageConversions(metadata.inputShape),
): Promise<{ images: Float32Array; count: number; conversions: ImageConversions }> {
  const shape = metadata.inputShape;
  const size = shape[0] * shape[1] * shape[2];
  const pixels = new Uint8Array(files.length * size);
  for (const [i, file] of files.entries()) {
    const image = decodeImage(await readFile(file), file);
    conversions.note(image);
    resizeInto(image, shape[0], shape[1], shape[2] as 1 | 3, pixels.subarray(i * size, (i + 1) * size));
  }
  const images = new LabeledImages(pixels, new Uint16Array(files.length), shape, metadata.classNames);
  const batch = normalizeBatch(
    makeBatch(
      images,
      files.map((_, i) => i),
    ),
    metadata.normalization,
  );
  return { images: batch.images, count: files.length, conversions };
}
