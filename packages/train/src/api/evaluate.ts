import { join } from 'node:path';
import {
  type BackendPreference,
  type BackendReport,
  registry as defaultRegistry,
  initBackend,
  type OutputKind,
  type Registry,
  SeededRng,
} from '@convkit/core';
import { pathExists } from '../data/find-file.js';
import { openDataset } from '../data/open-dataset.js';
import { plugin } from '../plugin.js';
import { RUN_FILES } from '../report/run-files.js';
import { buildModelForData } from '../train/build-model.js';
import { restoreWeights } from '../train/checkpoint.js';
import { evaluateModel } from '../train/evaluate-model.js';
import { MODEL_METADATA, readModelMetadata } from '../train/model-metadata.js';

/** What `evaluate` accepts. */
export interface EvaluateOptions {
  /** A `convkit train` output folder, or its `model/` subfolder. */
  model: string;
  /** Dataset name or folder; default the dataset the model was trained on. Its test split is used. */
  data?: string;
  batchSize?: number;
  backend?: BackendPreference;
  /** Called with the active backend (which one runs, why others were skipped) once the inputs are checked and work starts. */
  onBackend?: (report: BackendReport) => void;
  registry?: Registry;
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
  backend: string;
}

async function modelFolderOf(path: string): Promise<string> {
  const nested = join(path, RUN_FILES.model);
  return (await pathExists(join(nested, MODEL_METADATA))) ? nested : path;
}

/**
 * Evaluates a model trained by `train` on a dataset's test split: rebuilds its architecture through
 * the registry, loads the saved weights (checksums verified), normalizes with the training statistics
 * stored beside it, and reports loss, top-1, top-5 and the confusion matrix.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluateResult> {
  const registry = (options.registry ?? defaultRegistry).use(plugin);
  const folder = await modelFolderOf(options.model);
  const metadata = await readModelMetadata(folder);
  registry.get(metadata.arch);
  const backend = await initBackend(options.backend);
  const data = await openDataset(options.data ?? metadata.data, registry, {
    seed: metadata.seed,
    imageShape: metadata.inputShape,
  });
  const model = buildModelForData(
    registry,
    metadata.arch,
    metadata.archOptions,
    { shape: data.test.shape, numClasses: data.test.numClasses, name: data.name },
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
      backend: backend.backend,
    };
  } finally {
    model.dispose();
  }
}
