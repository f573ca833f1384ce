import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConvkitError, registry as defaultRegistry, initBackend, type OutputKind, SeededRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { decodeImage, resizeInto } from '../data/decode-image.js';
import { makeBatch, normalizeBatch } from '../data/image-batch.js';
import { ImageConversions } from '../data/image-conversions.js';
import { IMAGE_FILE } from '../data/image-folder.js';
import { LabeledImages } from '../data/labeled-images.js';
import { plugin } from '../plugin.js';
import { buildModelForData } from '../train/build-model.js';
import { restoreWeights } from '../train/checkpoint.js';
import { toProbabilities } from '../train/loss.js';
import { readModelMetadata, trainedModelFolder } from '../train/model-metadata.js';
import type { TrainedModelOptions } from './trained-model-options.js';

/** What `predict` accepts. */
export interface PredictOptions extends TrainedModelOptions {
  /** PNG/JPEG files, and folders searched for them (recursively, in name order). */
  images: string[];
  /** Classes to report per image, most probable first. Default 5 (fewer if the model has fewer classes). */
  top?: number;
}

/** One class of a prediction. */
export interface ClassProbability {
  label: number;
  className: string;
  probability: number;
}

/** The top classes of one image. */
export interface ImagePrediction {
  file: string;
  top: ClassProbability[];
}

/** What `predict` returns. */
export interface PredictResult {
  model: string;
  arch: string;
  predictions: ImagePrediction[];
  backend: string;
}

async function imageFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (path: string, given: boolean): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new ConvkitError('missing-image', `${path} does not exist; pass image files (PNG, JPEG) or folders of them`);
    if (info.isDirectory()) {
      for (const entry of (await readdir(path)).sort()) await walk(join(path, entry), false);
    } else if (given || IMAGE_FILE.test(path)) {
      files.push(path);
    }
  };
  for (const path of paths) await walk(path, true);
  if (files.length === 0)
    throw new ConvkitError('missing-image', `no PNG or JPEG images in ${paths.join(', ')}; pass image files or folders of them`);
  return files;
}

function topClasses(probabilities: ArrayLike<number>, classNames: readonly string[], k: number): ClassProbability[] {
  return Array.from(probabilities, (probability, label) => ({ label, className: classNames[label] ?? String(label), probability }))
    .sort((a, b) => b.probability - a.probability || a.label - b.label)
    .slice(0, k);
}

/**
 * Classifies image files with a model trained by `train`: decodes each (PNG/JPEG), resizes it to the
 * model's input as the training data was (bilinear, grey when the model takes one channel),
 * normalizes with the training statistics stored beside the model, and returns the `top` classes
 * with their probabilities (a softmax of the model's logits, as its architecture declares them).
 */
export async function predict(options: PredictOptions): Promise<PredictResult> {
  const registry = (options.registry ?? defaultRegistry).use(plugin);
  const top = options.top ?? 5;
  if (!(Number.isInteger(top) && top > 0)) throw new ConvkitError('bad-option', `--top ${top} is invalid; expected a positive integer`);
  const folder = await trainedModelFolder(options.model);
  const metadata = await readModelMetadata(folder);
  registry.get(metadata.arch);
  const files = await imageFiles(options.images);
  const backend = await initBackend(options.backend);
  const shape = metadata.inputShape;
  const { classNames } = metadata;
  const model = buildModelForData(
    registry,
    metadata.arch,
    metadata.archOptions,
    { shape, numClasses: classNames.length, name: folder },
    new SeededRng(0),
  );
  try {
    await restoreWeights(folder, model);
    const [kind] = registry.outputKinds(metadata.arch, model);
    options.onBackend?.(backend);
    const conversions = new ImageConversions(shape);
    const size = shape[0] * shape[1] * shape[2];
    const predictions: ImagePrediction[] = [];
    const batchSize = options.batchSize ?? 256;
    for (let start = 0; start < files.length; start += batchSize) {
      const batch = files.slice(start, start + batchSize);
      const pixels = new Uint8Array(batch.length * size);
      for (const [i, file] of batch.entries()) {
        const image = decodeImage(await readFile(file), file);
        conversions.note(image);
        resizeInto(image, shape[0], shape[1], shape[2] as 1 | 3, pixels.subarray(i * size, (i + 1) * size));
      }
      // The same batching and normalization as training and evaluation, so predictions match `evaluate` exactly.
      const images = new LabeledImages(pixels, new Uint16Array(batch.length), shape, classNames);
      const floats = normalizeBatch(
        makeBatch(
          images,
          batch.map((_, i) => i),
        ),
        metadata.normalization,
      );
      const probabilities = tf.tidy(() => {
        const x = tf.tensor4d(floats.images, [batch.length, ...shape]);
        const predicted = model.predict(x);
        return toProbabilities(Array.isArray(predicted) ? (predicted[0] as tf.Tensor) : predicted, kind as OutputKind);
      });
      const values = await probabilities.data();
      probabilities.dispose();
      const classes = classNames.length;
      for (const [i, file] of batch.entries()) {
        predictions.push({ file, top: topClasses(values.subarray(i * classes, (i + 1) * classes), classNames, top) });
      }
    }
    const said = conversions.describe(options.images.join(', '));
    if (said) options.onWarning?.(said);
    return { model: folder, arch: metadata.arch, predictions, backend: backend.backend };
  } finally {
    model.dispose();
  }
}
