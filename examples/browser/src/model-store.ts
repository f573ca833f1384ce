import { downloadIO, indexedDbIO, loadModelFrom, type PickedFile, pickedFilesIO, readIndexedDbFile, urlIO } from '@convkit/core';
import { MODEL_METADATA, type ModelMetadata } from '@convkit/train';
import type { io } from '@tensorflow/tfjs-core';
import { pageRegistry } from './registry-setup.js';
import type { ModelSession } from './session.js';

/** The metadata file a Node run writes beside its model, with the same bytes `writeModelMetadata` writes. */
function metadataFiles(metadata: ModelMetadata): Record<string, Uint8Array> {
  return { [MODEL_METADATA]: new TextEncoder().encode(JSON.stringify(metadata, null, 2)) };
}

function parseMetadata(bytes: Uint8Array | undefined, where: string): ModelMetadata {
  if (!bytes)
    throw new Error(`${where} has no ${MODEL_METADATA}: it is not a model trained by convkit (train one here or with \`convkit train\`)`);
  return JSON.parse(new TextDecoder().decode(bytes)) as ModelMetadata;
}

async function open(handler: io.IOHandler, where: string, metadata: ModelMetadata): Promise<ModelSession> {
  const model = await loadModelFrom(handler, where);
  const kind = pageRegistry.outputKinds(metadata.arch, model)[0] ?? 'logits';
  return { model, metadata, kind };
}

/** Saves the session's model and metadata in IndexedDB under `name`, as the files of a Node model folder. */
export async function saveToIndexedDb(session: ModelSession, name: string): Promise<void> {
  await session.model.save(indexedDbIO(name, { extraFiles: metadataFiles(session.metadata) }));
}

/** Downloads the session's model folder: `model.json`, `weights-<sha>.bin`, `convkit-train.json`. */
export async function download(session: ModelSession): Promise<void> {
  await session.model.save(downloadIO({ extraFiles: metadataFiles(session.metadata) }));
}

/** Opens the model saved in IndexedDB under `name`. */
export async function openFromIndexedDb(name: string): Promise<ModelSession> {
  const where = `IndexedDB "${name}"`;
  return open(indexedDbIO(name), where, parseMetadata(await readIndexedDbFile(name, MODEL_METADATA), where));
}

/** Opens a model folder the user picked (all its files). */
export async function openPickedFiles(files: readonly PickedFile[]): Promise<ModelSession> {
  const file = files.find((f) => f.name === MODEL_METADATA);
  const metadata = parseMetadata(file && new Uint8Array(await file.arrayBuffer()), 'the chosen files');
  return open(pickedFilesIO(files), 'the chosen files', metadata);
}

/** Opens a model folder served at `url` (a `convkit train` run's `model/` folder on a web server). */
export async function openUrl(url: string): Promise<ModelSession> {
  const base = url.endsWith('/') ? url : `${url}/`;
  const response = await fetch(new URL(MODEL_METADATA, new URL(base, location.href)));
  const metadata = parseMetadata(response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined, base);
  return open(urlIO(base), base, metadata);
}
