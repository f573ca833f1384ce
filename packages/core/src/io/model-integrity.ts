import { io } from '@tensorflow/tfjs-core';
import { ConvkitError } from '../errors.js';

/** File name of a saved model's topology and manifest, as plain tfjs expects it. */
export const MODEL_JSON = 'model.json';

/** Hex SHA-256 of some bytes or text: node:crypto's in Node, a portable one in a page. */
export type Sha256 = (data: Uint8Array | string) => string;

/** Integrity record convkit adds to `model.json` (plain tfjs ignores the key). */
export interface IntegrityRecord {
  topologySha256: string;
  /** Of the weights manifest (names, shapes, dtypes, paths); absent in models saved before it was recorded. */
  manifestSha256?: string;
  weightsSha256: string;
  weightsBytes: number;
}

/** A `model.json` as convkit writes it: plain tfjs's, plus the integrity record. */
export interface ModelJsonWithIntegrity extends io.ModelJSON {
  convkit?: IntegrityRecord;
}

/** A model as the files convkit writes, wherever they go (a folder, IndexedDB, downloads). */
export interface EncodedModel {
  modelJson: ModelJsonWithIntegrity;
  /** Content-addressed name of the one weights file `modelJson`'s manifest points to. */
  weightsFile: string;
  weights: Uint8Array;
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

/** The error of a model whose bytes do not match what it declares; `where` names it (a folder, an IndexedDB key). */
export function corruptedModel(where: string, what: string): ConvkitError {
  return new ConvkitError(
    'corrupted-model',
    `the model in ${where} is corrupted or truncated (${what}); restore it from a backup or save/train it again`,
  );
}

/**
 * Turns tfjs's save artifacts into convkit's files: the weights under a content-addressed name and a
 * `model.json` whose integrity record holds the checksums of topology, manifest and weights. Node's
 * folders and the page's stores write exactly these, so a model moves between them unchanged.
 */
export function encodeModel(artifacts: io.ModelArtifacts, sha256: Sha256): EncodedModel {
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
  return { modelJson, weightsFile, weights };
}

/** Parses an untrusted `model.json` text into an object, or says what is wrong with it. */
export function parseModelJson(text: string, where: string): ModelJsonWithIntegrity {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corruptedModel(where, `${MODEL_JSON} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw corruptedModel(where, `${MODEL_JSON} is not a JSON object`);
  return parsed as ModelJsonWithIntegrity;
}

/**
 * The checks of an untrusted `model.json` before any weights are read: a convkit integrity record
 * (unless `foreign`), a topology, and the manifest's checksum. `foreignHint` says how to load a
 * trusted model without the record where this model lives.
 */
export function checkModelJson(
  modelJson: ModelJsonWithIntegrity,
  where: string,
  foreign: boolean,
  foreignHint: string,
  sha256: Sha256,
): void {
  const integrity = modelJson.convkit;
  if (!integrity && !foreign) {
    throw new ConvkitError(
      'unverified-model',
      `the model in ${where} has no convkit integrity record (it was not saved by convkit, or the record was removed), so its checksums cannot be verified; save it again with convkit, or if it is a tfjs model from elsewhere that you trust, ${foreignHint}`,
    );
  }
  if (integrity && !isIntegrityRecord(integrity)) throw corruptedModel(where, 'its convkit integrity record is damaged');
  if (typeof modelJson.modelTopology !== 'object' || modelJson.modelTopology === null)
    throw corruptedModel(where, 'it has no model topology');
  if (integrity?.manifestSha256 !== undefined && sha256(JSON.stringify(modelJson.weightsManifest ?? null)) !== integrity.manifestSha256) {
    throw corruptedModel(where, 'weights manifest checksum mismatch');
  }
}

/** Checks the weights read for `modelJson` against its integrity record (when it has one). */
export function checkWeights(modelJson: ModelJsonWithIntegrity, weights: Uint8Array, where: string, sha256: Sha256): void {
  const integrity = modelJson.convkit;
  if (!integrity) return;
  if (sha256(JSON.stringify(modelJson.modelTopology)) !== integrity.topologySha256)
    throw corruptedModel(where, 'topology checksum mismatch');
  if (weights.byteLength !== integrity.weightsBytes) {
    throw corruptedModel(where, `weights are ${weights.byteLength} bytes, expected ${integrity.weightsBytes}`);
  }
  if (sha256(weights) !== integrity.weightsSha256) throw corruptedModel(where, 'weights checksum mismatch');
}

/** Concatenates the weights files of a manifest, in order, copying only when there is more than one. */
export function concatenate(buffers: Uint8Array[]): Uint8Array {
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
export function ownBuffer(view: Uint8Array): ArrayBuffer {
  const buffer = view.buffer as ArrayBuffer;
  if (view.byteOffset === 0 && view.byteLength === buffer.byteLength) return buffer;
  return buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
}
