import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConvkitError, registry as defaultRegistry, initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { ImageConversions } from '../data/image-conversions.js';
import { IMAGE_FILE } from '../data/image-folder.js';
import { plugin } from '../plugin.js';
import { toProbabilities } from '../train/loss.js';
import { readModelMetadata, trainedModelFolder } from '../train/model-metadata.js';
import { openTrainedModel, readModelImages } from './trained-model.js';
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
  // The metadata first, so a wrong folder or architecture is said before the images are searched.
  registry.get((await readModelMetadata(await trainedModelFolder(options.model))).arch);
  const files = await imageFiles(options.images);
  const backend = await initBackend(options.backend);
  const { folder, metadata, model, outputKind } = await openTrainedModel(options.model, registry);
  const shape = metadata.inputShape;
  const { classNames } = metadata;
  try {
    options.onBackend?.(backend);
    const conversions = new ImageConversions(shape);
    const predictions: ImagePrediction[] = [];
    const batchSize = options.batchSize ?? 256;
    for (let start = 0; start < files.length; start += batchSize) {
      const batch = files.slice(start, start + batchSize);
      // The same batching and normalization as training and evaluation, so predictions match `evaluate` exactly.
      const read = await readModelImages(batch, metadata, conversions);
      const probabilities = tf.tidy(() => {
        const x = tf.tensor4d(read.images, [batch.length, ...shape]);
        const predicted = model.predict(x);
        return toProbabilities(Array.isArray(predicted) ? (predicted[0] as tf.Tensor) : predicted, outputKind);
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
