import { registry as defaultRegistry, initBackend, type OutputKind, SeededRng } from '@convkit/core';
import type { ImageShape } from '../data/labeled-images.js';
import { openDataset } from '../data/open-dataset.js';
import { plugin } from '../plugin.js';
import { buildModelForData } from '../train/build-model.js';
import { restoreWeights } from '../train/checkpoint.js';
import { type ClassScores, perClassScores } from '../train/classification-metrics.js';
import { evaluateModel } from '../train/evaluate-model.js';
import { readModelMetadata, trainedModelFolder } from '../train/model-metadata.js';
import type { TrainedModelOptions } from './trained-model-options.js';

/**
 * The input the model is rebuilt with: the one it was trained at (a progressively resized model's
 * last size; the test images are resized to it), unless the data's channels differ, which is an error
 * the data's own shape reports.
 */
function evaluatedShape(trained: ImageShape | undefined, data: ImageShape): ImageShape {
  return trained && trained[2] === data[2] ? trained : data;
}

/** What `evaluate` accepts. */
export interface EvaluateOptions extends TrainedModelOptions {
  /** Dataset name or folder; default the dataset the model was trained on. Its test split is used. */
  data?: string;
}

/** Test-set loss, top-1, top-5 and confusion matrix of a trained model. */
export interface EvaluateResult {
  model: string;
  arch: string;
  dataset: string;
  count: number;
  loss: number;
  top1: number;
  top5: number;
  /** `confusion[truth][predicted]` counts, rows and columns in `classNames` order. */
  confusion: number[][];
  classNames: string[];
  /** Precision and recall of each class, in `classNames` order. */
  perClass: ClassScores[];
  backend: string;
}

const listed = (names: readonly string[]) => (names.length > 6 ? `${names.slice(0, 6).join(', ')}, ...` : names.join(', '));

/**
 * Evaluates a model trained by `train` on a dataset's test split: rebuilds its architecture through
 * the registry, loads the saved weights (checksums verified), normalizes with the training statistics
 * stored beside it, and reports loss, top-1, top-5 and the confusion matrix.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluateResult> {
  const registry = (options.registry ?? defaultRegistry).use(plugin);
  const folder = await trainedModelFolder(options.model);
  const metadata = await readModelMetadata(folder);
  registry.get(metadata.arch);
  const backend = await initBackend(options.backend);
  const data = await openDataset(options.data ?? metadata.data, registry, {
    seed: metadata.seed,
    imageShape: metadata.inputShape,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  const names = data.test.classNames;
  if (JSON.stringify(names) !== JSON.stringify(metadata.classNames)) {
    options.onWarning?.(
      `the model was trained on classes [${listed(metadata.classNames)}] but ${data.name} has [${listed(names)}]: scores compare class indices, so they mean nothing unless the classes are the same in the same order`,
    );
  }
  const model = buildModelForData(
    registry,
    metadata.arch,
    metadata.archOptions,
    { shape: evaluatedShape(metadata.inputShape, data.test.shape), numClasses: data.test.numClasses, name: data.name },
    new SeededRng(0),
  );
  try {
    await restoreWeights(folder, model);
    // Reported only once the model and data have loaded, so bad input stays a one-line error.
    options.onBackend?.(backend);
    const [kind] = registry.outputKinds(metadata.arch, model);
    const metrics = await evaluateModel(model, kind as OutputKind, data.test, metadata.normalization, options.batchSize ?? 256);
    return {
      model: folder,
      arch: metadata.arch,
      dataset: data.name,
      ...metrics,
      classNames: [...data.test.classNames],
      perClass: perClassScores(metrics.confusion, data.test.classNames),
      backend: backend.backend,
    };
  } finally {
    model.dispose();
  }
}
