import { io } from '@tensorflow/tfjs-core';
import { checkDeclaredBytes, checkManifestEntries } from './manifest-entries.js';
import {
  checkModelJson,
  checkWeights,
  concatenate,
  corruptedModel,
  MODEL_JSON,
  ownBuffer,
  parseModelJson,
  type Sha256,
} from './model-integrity.js';

/** One file of a stored model: its size, known before its bytes are read, and a way to read them. */
export interface StoredFile {
  bytes: number;
  read(): Promise<Uint8Array>;
}

/** Where a model's files live outside a folder (IndexedDB, uploaded files, a URL), read by file name. */
export interface ModelFileSource {
  /** What the messages call it: `IndexedDB "lenet5"`, `the uploaded files`. */
  where: string;
  /** How to load a trusted model without convkit's integrity record from here. */
  foreignHint: string;
  /** The file of that name, or undefined when there is none. */
  file(name: string): Promise<StoredFile | undefined>;
}

/** A plain file name: no folder part, nothing that could reach outside the model's own files. */
function isPlainName(path: unknown): path is string {
  return typeof path === 'string' && path !== '' && !/[/\\]/.test(path) && path !== '.' && path !== '..';
}

/**
 * Loads convkit's model files from `source` with the checks a folder gets: `model.json` parsed as
 * untrusted, its integrity record required (unless `foreign`), every manifest entry's shape and
 * dtype and every path a plain file name that exists, the declared bytes equal to the files' sizes
 * before any weights are read, and the checksums matched after.
 */
export async function loadStoredModel(source: ModelFileSource, sha256: Sha256, foreign = false): Promise<io.ModelArtifacts> {
  const { where } = source;
  const jsonFile = await source.file(MODEL_JSON);
  if (!jsonFile) throw corruptedModel(where, `${MODEL_JSON} is missing`);
  const modelJson = parseModelJson(new TextDecoder().decode(await jsonFile.read()), where);
  checkModelJson(modelJson, where, foreign, source.foreignHint, sha256);
  const fail = (what: string) => corruptedModel(where, what);
  const { specs, paths } = checkManifestEntries(modelJson.weightsManifest ?? [], fail);
  const files: StoredFile[] = [];
  for (const path of paths) {
    if (!isPlainName(path)) throw fail(`weights path ${JSON.stringify(path)} is not a file name of the model`);
    const file = await source.file(path);
    if (!file) throw fail(`weights file ${path} is missing`);
    files.push(file);
  }
  checkDeclaredBytes(
    specs,
    files.reduce((n, f) => n + f.bytes, 0),
    fail,
  );
  const weights = concatenate(await Promise.all(files.map((f) => f.read())));
  checkWeights(modelJson, weights, where, sha256);
  return io.getModelArtifactsForJSON(modelJson, async () => [specs, ownBuffer(weights)]);
}

/** A {@link StoredFile} over bytes already in memory. */
export function bytesFile(bytes: Uint8Array): StoredFile {
  return { bytes: bytes.byteLength, read: async () => bytes };
}
