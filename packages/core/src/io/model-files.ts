import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { io } from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { ConvkitError } from '../errors.js';
import { sha256, writeFileAtomic } from './atomic-file.js';

/** File name of a saved model's topology and manifest, as plain tfjs expects it. */
export const MODEL_JSON = 'model.json';

/** Integrity record convkit adds to `model.json` (plain tfjs ignores the key). */
interface IntegrityRecord {
  topologySha256: string;
  weightsSha256: string;
  weightsBytes: number;
}

interface ModelJsonWithIntegrity extends io.ModelJSON {
  convkit?: IntegrityRecord;
}

function corrupted(folder: string, what: string): ConvkitError {
  return new ConvkitError(
    'corrupted-model',
    `the model in ${folder} is corrupted or truncated (${what}); restore it from a backup or save/train it again`,
  );
}

/**
 * A tfjs IOHandler over a folder in plain Node (no tfjs-node needed). Saving writes the weights under a
 * content-addressed name and then `model.json` atomically, so a crash at any moment leaves a folder
 * that loads (the old model or the new one); loading verifies the checksums and sizes recorded at save
 * time and names the problem when a file is corrupted or truncated.
 */
export function folderIO(folder: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new ConvkitError('unsupported-model', 'graph models (binary topology) cannot be saved by convkit; save a tfjs LayersModel');
      }
      const weights = new Uint8Array(io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const weightsSha256 = sha256(weights);
      const weightsFile = `weights-${weightsSha256.slice(0, 16)}.bin`;
      const modelJson: ModelJsonWithIntegrity = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'convkit',
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
        convkit: { topologySha256: sha256(JSON.stringify(artifacts.modelTopology ?? {})), weightsSha256, weightsBytes: weights.byteLength },
      };
      await writeFileAtomic(join(folder, weightsFile), weights);
      await writeFileAtomic(join(folder, MODEL_JSON), JSON.stringify(modelJson));
      await removeStaleWeights(folder, weightsFile);
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<io.ModelArtifacts> {
      const modelJson = await readModelJson(folder);
      const manifest = modelJson.weightsManifest ?? [];
      const buffers: Uint8Array[] = [];
      for (const group of manifest) {
        for (const path of group.paths) {
          try {
            buffers.push(await readFile(join(folder, path)));
          } catch {
            throw corrupted(folder, `weights file ${path} is missing`);
          }
        }
      }
      const weights = concatenate(buffers);
      const integrity = modelJson.convkit;
      if (integrity) {
        if (sha256(JSON.stringify(modelJson.modelTopology)) !== integrity.topologySha256)
          throw corrupted(folder, 'topology checksum mismatch');
        if (weights.byteLength !== integrity.weightsBytes) {
          throw corrupted(folder, `weights are ${weights.byteLength} bytes, expected ${integrity.weightsBytes}`);
        }
        if (sha256(weights) !== integrity.weightsSha256) throw corrupted(folder, 'weights checksum mismatch');
      }
      return io.getModelArtifactsForJSON(modelJson, async () => [manifest.flatMap((group) => group.weights), ownBuffer(weights)]);
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
  try {
    return JSON.parse(text) as ModelJsonWithIntegrity;
  } catch {
    throw corrupted(folder, `${MODEL_JSON} is not valid JSON`);
  }
}

function concatenate(buffers: Uint8Array[]): Uint8Array {
  if (buffers.length === 1) return buffers[0] as Uint8Array;
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.byteLength;
  }
  return out;
}

/**
 * The bytes of `view` as an ArrayBuffer, copied only when `view` covers part of a larger buffer (small
 * files read into Node's shared pool): a weights file read on its own is passed on as it is, rather
 * than held twice while a large model loads.
 */
function ownBuffer(view: Uint8Array): ArrayBuffer {
  const buffer = view.buffer as ArrayBuffer;
  if (view.byteOffset === 0 && view.byteLength === buffer.byteLength) return buffer;
  return buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
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
 * Loads a model saved by {@link saveModel} (or any tfjs LayersModel folder), verifying its checksums.
 * Custom layer classes must be registered first (`registry.use(plugin)`).
 */
export async function loadModel(folder: string): Promise<LayersModel> {
  try {
    return await loadLayersModel(folderIO(folder));
  } catch (error) {
    // tfjs names an unregistered class in a paragraph about Python ports; say what to do here instead.
    const unknownClass = error instanceof Error ? /^Unknown (?:layer|\w+): (\S+?)\.? /.exec(error.message)?.[1] : undefined;
    if (!unknownClass) throw error;
    throw new ConvkitError(
      'unregistered-layer',
      `the model in ${folder} uses layer class "${unknownClass}", which is not registered; registry.use() the plugin that provides it (convkit's layers: the plugin of @convkit/layers) before loading`,
      { cause: error },
    );
  }
}
