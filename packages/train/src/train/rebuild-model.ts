import { type OutputKind, type Registry, SeededRng } from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { buildModelForData } from './build-model.js';
import { restoreWeights } from './checkpoint.js';
import { type ModelMetadata, readModelMetadata, trainedModelFolder } from './model-metadata.js';

/** A model trained by `train`, rebuilt through the registry with its saved weights. */
export interface TrainedModel {
  /** The model folder (the run's `model/`). */
  folder: string;
  metadata: ModelMetadata;
  model: LayersModel;
  /** What the model's first output is, as its architecture declares it. */
  outputKind: OutputKind;
}

/**
 * Rebuilds the model of a `convkit train` output folder (or its `model/` subfolder) through
 * `registry`, which must already hold its architecture: reads the metadata, builds the architecture
 * for the trained input shape and classes, and loads the saved weights. The caller disposes `model`.
 */
export async function rebuildTrainedModel(path: string, registry: Registry): Promise<TrainedModel> {
  const folder = await trainedModelFolder(path);
  const metadata = await readModelMetadata(folder);
  registry.get(metadata.arch);
  const model = buildModelForData(
    registry,
    metadata.arch,
    metadata.archOptions,
    { shape: metadata.inputShape, numClasses: metadata.classNames.length, name: folder },
    new SeededRng(0),
  );
  try {
    await restoreWeights(folder, model);
    const [outputKind] = registry.outputKinds(metadata.arch, model);
    return { folder, metadata, model, outputKind: outputKind as OutputKind };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
