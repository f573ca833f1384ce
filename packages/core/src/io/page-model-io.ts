import { io } from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { ConvkitError } from '../errors.js';
import { encodeModel, MODEL_JSON } from './model-integrity.js';
import { portableSha256 } from './portable-sha256.js';
import { bytesFile, loadStoredModel, type ModelFileSource } from './stored-model.js';
import { explainUnregisteredLayer } from './unregistered-layer.js';

// The project compiles without DOM typings; these are the few browser APIs model IO uses.
interface IdbRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IdbStore {
  put(value: unknown, key: string): IdbRequest<unknown>;
  get(key: string): IdbRequest<unknown>;
  delete(key: string): IdbRequest<unknown>;
  getAllKeys(): IdbRequest<string[]>;
}
interface IdbDatabase {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): void;
  transaction(store: string, mode: 'readonly' | 'readwrite'): { objectStore(name: string): IdbStore };
  close(): void;
}
interface PageGlobals {
  location?: { href: string };
  indexedDB?: { open(name: string, version: number): IdbOpenRequest };
  document?: {
    createElement(tag: 'a'): { href: string; download: string; click(): void };
  };
}
/** A file the user picked or dropped (the DOM's `File`). */
export interface PickedFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Options of the page's model handlers. */
export interface PageModelOptions {
  /** Load a tfjs model that was not saved by convkit (no integrity record to verify). */
  foreign?: boolean;
  /**
   * Files saved beside the model's own, as a folder holds them (`convkit-train.json` of a trained
   * model: its classes and input normalization); the model's files win a name clash.
   */
  extraFiles?: ModelFileMap;
}

/** The IndexedDB database and object store convkit keeps models in, one record of files per name. */
export const MODEL_DATABASE = 'convkit-models';
const STORE = 'models';

/** A model's files, by file name, exactly as a folder written by Node's `saveModel` holds them. */
export type ModelFileMap = Record<string, Uint8Array>;

function page(): PageGlobals {
  return globalThis as unknown as PageGlobals;
}

function requestResult<T>(request: IdbRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function openStore<T>(mode: 'readonly' | 'readwrite', use: (store: IdbStore) => IdbRequest<T>): Promise<T> {
  const factory = page().indexedDB;
  if (!factory)
    throw new ConvkitError(
      'no-indexeddb',
      'this environment has no IndexedDB; save models to IndexedDB in a browser page, or with saveModel in Node',
    );
  const opening = factory.open(MODEL_DATABASE, 1);
  opening.onupgradeneeded = () => {
    if (!opening.result.objectStoreNames.contains(STORE)) opening.result.createObjectStore(STORE);
  };
  const db = await requestResult(opening);
  try {
    return await requestResult(use(db.transaction(STORE, mode).objectStore(STORE)));
  } finally {
    db.close();
  }
}

/** The files convkit writes for `artifacts`: `model.json` with its integrity record, and the weights. */
function filesOf(artifacts: io.ModelArtifacts): ModelFileMap {
  const { modelJson, weightsFile, weights } = encodeModel(artifacts, portableSha256);
  return { [MODEL_JSON]: new TextEncoder().encode(JSON.stringify(modelJson)), [weightsFile]: weights };
}

function saved(artifacts: io.ModelArtifacts): io.SaveResult {
  return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
}

function mapSource(files: ModelFileMap, where: string, foreignHint: string): ModelFileSource {
  return {
    where,
    foreignHint,
    file: async (name) => (Object.hasOwn(files, name) ? bytesFile(files[name] as Uint8Array) : undefined),
  };
}

/**
 * A tfjs IOHandler over one record of convkit's IndexedDB store: saving writes the same files (same
 * bytes, same checksums) as a Node folder, loading checks them as a folder's are checked.
 */
export function indexedDbIO(name: string, options: PageModelOptions = {}): io.IOHandler {
  const where = `IndexedDB "${name}"`;
  return {
    async save(artifacts) {
      await openStore('readwrite', (store) => store.put({ ...options.extraFiles, ...filesOf(artifacts) }, name));
      return saved(artifacts);
    },
    async load() {
      const files = (await openStore('readonly', (store) => store.get(name))) as ModelFileMap | undefined;
      if (!files) {
        throw new ConvkitError(
          'missing-model',
          `no model named "${name}" in IndexedDB; save one first with saveModelToIndexedDb(model, "${name}")`,
        );
      }
      return loadStoredModel(
        mapSource(files, where, `load it with indexedDbIO("${name}", { foreign: true })`),
        portableSha256,
        options.foreign,
      );
    },
  };
}

/** One file of the model saved as `name` in IndexedDB (`model.json`, or a file saved beside it), or undefined. */
export async function readIndexedDbFile(name: string, file: string): Promise<Uint8Array | undefined> {
  const files = (await openStore('readonly', (store) => store.get(name))) as ModelFileMap | undefined;
  return files && Object.hasOwn(files, file) ? files[file] : undefined;
}

/** The names of the models saved in this origin's IndexedDB store. */
export async function listIndexedDbModels(): Promise<string[]> {
  return openStore('readonly', (store) => store.getAllKeys());
}

/**
 * A tfjs IOHandler that saves by downloading convkit's files (`model.json` and `weights-<sha>.bin`)
 * into the browser's downloads; put them in one folder and Node's `loadModel` reads it.
 */
export function downloadIO(options: Pick<PageModelOptions, 'extraFiles'> = {}): io.IOHandler {
  return {
    async save(artifacts) {
      const document = page().document;
      if (!document)
        throw new ConvkitError('no-document', 'downloads need a browser page; in Node save the model with saveModel(model, folder)');
      for (const [name, bytes] of Object.entries({ ...options.extraFiles, ...filesOf(artifacts) })) {
        const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
        const link = document.createElement('a');
        link.href = url;
        link.download = name;
        link.click();
        // The download has taken its own reference to the blob by the time the click returns.
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
      return saved(artifacts);
    },
  };
}

/** A tfjs IOHandler that loads convkit's files picked or dropped by the user (`model.json` and its weights). */
export function pickedFilesIO(files: readonly PickedFile[], options: Pick<PageModelOptions, 'foreign'> = {}): io.IOHandler {
  const byName = new Map(files.map((file) => [file.name, file]));
  const source: ModelFileSource = {
    where: 'the chosen files',
    foreignHint: 'load them with pickedFilesIO(files, { foreign: true })',
    async file(name) {
      const file = byName.get(name);
      return file && { bytes: file.size, read: async () => new Uint8Array(await file.arrayBuffer()) };
    },
  };
  return { load: () => loadStoredModel(source, portableSha256, options.foreign) };
}

/** A tfjs IOHandler that loads convkit's files served under `baseUrl` (the folder a Node run wrote, put on a web server). */
export function urlIO(baseUrl: string, options: Pick<PageModelOptions, 'foreign'> = {}): io.IOHandler {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const source: ModelFileSource = {
    where: base,
    foreignHint: 'load it with urlIO(url, { foreign: true })',
    async file(name) {
      const response = await fetch(new URL(name, new URL(base, page().location?.href)));
      if (!response.ok) return undefined;
      const bytes = new Uint8Array(await response.arrayBuffer());
      return bytesFile(bytes);
    },
  };
  return { load: () => loadStoredModel(source, portableSha256, options.foreign) };
}

/** The files convkit would write for `model` (for a custom store, or to check them against Node's). */
export async function modelFiles(model: LayersModel): Promise<ModelFileMap> {
  let files: ModelFileMap = {};
  await model.save({
    async save(artifacts) {
      files = filesOf(artifacts);
      return saved(artifacts);
    },
  });
  return files;
}

/** Saves `model` under `name` in this origin's IndexedDB, in the format and with the checksums of a Node folder. */
export async function saveModelToIndexedDb(model: LayersModel, name: string): Promise<void> {
  await model.save(indexedDbIO(name));
}

/** Loads a model from any convkit page handler (indexedDbIO, pickedFilesIO, urlIO), with convkit's error for unregistered layers. */
export async function loadModelFrom(handler: io.IOHandler, where: string): Promise<LayersModel> {
  try {
    return await loadLayersModel(handler);
  } catch (error) {
    throw explainUnregisteredLayer(error, where);
  }
}
