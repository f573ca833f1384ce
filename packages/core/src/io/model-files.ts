import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { io } from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { ConvkitError } from '../errors.js';
import { sha256, writeFileAtomic } from './atomic-file.js';
import { checkManifest } from './weights-manifest.js';

/** File name of a saved model's topology and manifest, as plain tfjs expects it. */
export const MODEL_JSON = 'model.json';

/** Integrity record convkit adds to `model.json` (plain tfjs ignores the key). */
interface IntegrityRecord {
  topologySha256: string;
  /** Of the weights manifest (names, shapes, dtypes, paths); absent in models saved before it was recorded. */
  manifestSha256?: string;
  weightsSha256: string;
  weightsBytes: number;
}

interface ModelJsonWithIntegrity extends io.ModelJSON {
  convkit?: IntegrityRecord;
}

function isIntegrityRecord(value: unknown): value is IntegrityRecord {
  const r = value as Record<string, unknown>;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof r.topologySha256 === 'string' &&
    typeof r.weightsSha256 === 'string' &&
    typeof r.weightsBytes === 'number' &&
    (r.manifestSha256 === undefined || typeof r.manifestSha256 === 'string')
  );
}

function corrupted(folder: string, what: string): ConvkitError {
  return new ConvkitError(
    'corrupted-model',
    `the model in ${folder} is corrupted or truncated (${what}); restore it from a backup or save/train it again`,
  );
}

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
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new ConvkitError('unsupported-model', 'graph models (binary topology) cannot be saved by convkit; save a tfjs LayersModel');
      }
      const weights = new Uint8Array(io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const weightsSha256 = sha256(weights);
      const weightsFile = `weights-${weightsSha256.slice(0, 16)}.bin`;
      const weightsManifest = [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }];
      const modelJson: ModelJsonWithIntegrity = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'convkit',
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
        convkit: {
          topologySha256: sha256(JSON.stringify(artifacts.modelTopology ?? {})),
          manifestSha256: sha256(JSON.stringify(weightsManifest)),
          weightsSha256,
          weightsBytes: weights.byteLength,
        },
      };
      await writeFileAtomic(join(folder, weightsFile), weights);
      await writeFileAtomic(join(folder, MODEL_JSON), JSON.stringify(modelJson));
      await removeStaleWeights(folder, weightsFile);
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<io.ModelArtifacts> {
      const modelJson = await readModelJson(folder);
      const integrity = modelJson.convkit;
      if (!integrity && !options.foreign) {
        throw new ConvkitError(
          'unverified-model',
          `the model in ${folder} has no convkit integrity record (it was not saved by convkit, or the record was removed), so its checksums cannot be verified; save it again with convkit, or if it is a tfjs model from elsewhere that you trust, load it with loadModel(folder, { foreign: true })`,
        );
      }
      if (integrity && !isIntegrityRecord(integrity)) throw corrupted(folder, 'its convkit integrity record is damaged');
      if (typeof modelJson.modelTopology !== 'object' || modelJson.modelTopology === null)
        throw corrupted(folder, 'it has no model topology');
      if (
        integrity?.manifestSha256 !== undefined &&
        sha256(JSON.stringify(modelJson.weightsManifest ?? null)) !== integrity.manifestSha256
      ) {
        throw corrupted(folder, 'weights manifest checksum mismatch');
      }
      const { specs, files } = await checkManifest(folder, modelJson.weightsManifest ?? [], (what) => corrupted(folder, what));
      const buffers: Uint8Array[] = [];
      for (const file of files) buffers.push(await readFile(file.path));
      const weights = concatenate(buffers);
      if (integrity) {
        if (sha256(JSON.stringify(modelJson.modelTopology)) !== integrity.topologySha256)
          throw corrupted(folder, 'topology checksum mismatch');
        if (weights.byteLength !== integrity.weightsBytes) {
          throw corrupted(folder, `weights are ${weights.byteLength} bytes, expected ${integrity.weightsBytes}`);
        }
        if (sha256(weights) !== integrity.weightsSha256) throw corrupted(folder, 'weights checksum mismatch');
      }
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupted(folder, `${MODEL_JSON} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corrupted(folder, `${MODEL_JSON} is not a JSON object`);
  return parsed as ModelJsonWithIntegrity;
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
 * Loads a model saved by {@link saveModel}, verifying its manifest and checksums (a tfjs LayersModel
 * folder from elsewhere needs `{ foreign: true }`). Custom layer classes must be registered first
 * (`registry.use(plugin)`).
 */
export async function loadModel(folder: string, options: FolderLoadOptions = {}): Promise<LayersModel> {
  try {
    return await loadLayersModel(folderIO(folder, options));
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
