import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { io } from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { ConvkitError } from '../errors.js';
import { sha256, writeFileAtomic } from './atomic-file.js';
import {
  checkModelJson,
  checkWeights,
  concatenate,
  corruptedModel,
  encodeModel,
  MODEL_JSON,
  type ModelJsonWithIntegrity,
  ownBuffer,
  parseModelJson,
} from './model-integrity.js';
import { explainUnregisteredLayer } from './unregistered-layer.js';
import { checkManifest } from './weights-manifest.js';

export { MODEL_JSON } from './model-integrity.js';

/** Options of {@link folderIO} and {@link loadModel}. */
export interface FolderLoadOptions {
  /**
   * Load a tfjs model that was not saved by convkit (no integrity record, so no checksums to verify).
   * Without it such a folder is refused: a convkit model whose record was removed must not load
   * silently unchecked. Manifest paths and sizes are checked either way.
   */
  foreign?: boolean;
}

/**
 * A tfjs IOHandler over a folder in plain Node (no tfjs-node needed). Saving writes the weights under a
 * content-addressed name and then `model.json` atomically, so a crash at any moment leaves a folder
 * that loads (the old model or the new one). Loading treats the folder as untrusted: the manifest's
 * paths must be files inside the folder, the bytes its shapes and dtypes declare must be the files'
 * sizes (checked before reading them), and the checksums recorded at save time must match; a folder
 * without convkit's integrity record loads only with `foreign: true`.
 */
export function folderIO(folder: string, options: FolderLoadOptions = {}): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      const { modelJson, weightsFile, weights } = encodeModel(artifacts, sha256);
      await writeFileAtomic(join(folder, weightsFile), weights);
      await writeFileAtomic(join(folder, MODEL_JSON), JSON.stringify(modelJson));
      await removeStaleWeights(folder, weightsFile);
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<io.ModelArtifacts> {
      const modelJson = await readModelJson(folder);
      checkModelJson(modelJson, folder, options.foreign === true, 'load it with loadModel(folder, { foreign: true })', sha256);
      const { specs, files } = await checkManifest(folder, modelJson.weightsManifest ?? [], (what) => corruptedModel(folder, what));
      const buffers: Uint8Array[] = [];
      for (const file of files) buffers.push(await readFile(file.path));
      const weights = concatenate(buffers);
      checkWeights(modelJson, weights, folder, sha256);
      return io.getModelArtifactsForJSON(modelJson, async () => [specs, ownBuffer(weights)]);
    },
  };
}

async function readModelJson(folder: string): Promise<ModelJsonWithIntegrity> {
  let text: string;
  try {
    text = await readFile(join(folder, MODEL_JSON), 'utf8');
  } catch {
    throw new ConvkitError(
      'missing-model',
      `no model in ${folder} (${MODEL_JSON} not found); check the path or train one with \`convkit train --out ${folder}\``,
    );
  }
  return parseModelJson(text, folder);
}

async function removeStaleWeights(folder: string, keep: string): Promise<void> {
  for (const name of await readdir(folder)) {
    if (/^weights-[0-9a-f]{16}\.bin$/.test(name) && name !== keep) await rm(join(folder, name), { force: true });
  }
}

/** Saves a LayersModel to `folder` (`model.json` + weights), atomically and with checksums. */
export async function saveModel(model: LayersModel, folder: string): Promise<void> {
  await model.save(folderIO(folder));
}

/**
 * Loads a model saved by {@link saveModel}, verifying its manifest and checksums (a tfjs LayersModel
 * folder from elsewhere needs `{ foreign: true }`). Custom layer classes must be registered first
 * (`registry.use(plugin)`).
 */
export async function loadModel(folder: string, options: FolderLoadOptions = {}): Promise<LayersModel> {
  try {
    return await loadLayersModel(folderIO(folder, options));
  } catch (error) {
    throw explainUnregisteredLayer(error, folder);
  }
}
