import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConvkitError } from '@convkit/core';
import { pathExists } from '../data/find-file.js';
import { MODEL_METADATA, type ModelMetadata, readModelMetadata, trainedModelFolder } from './model-metadata.js';

/** The provenance file `convkit import` writes beside an imported model (read here, not imported, so train keeps to core). */
export const IMPORT_METADATA = 'convkit-import.json';

/** Which registered architecture a saved convkit model folder holds, and how it was built. */
export interface SavedModelOrigin {
  /** The folder holding `model.json` (a `convkit train` run's `model/`, or the folder given). */
  folder: string;
  arch: string;
  archOptions: Record<string, unknown>;
  /** The training metadata of a `convkit train` model; undefined for an imported one. */
  trained: ModelMetadata | undefined;
}

async function readImportMetadata(folder: string): Promise<{ arch: string; archOptions: Record<string, unknown> }> {
  let metadata: { arch?: unknown; archOptions?: unknown };
  try {
    metadata = JSON.parse(await readFile(join(folder, IMPORT_METADATA), 'utf8'));
  } catch {
    throw new ConvkitError(
      'corrupted-model',
      `${join(folder, IMPORT_METADATA)} is not valid JSON; import the model again with \`convkit import\``,
    );
  }
  if (typeof metadata.arch !== 'string') {
    throw new ConvkitError(
      'corrupted-model',
      `${join(folder, IMPORT_METADATA)} names no architecture; import the model again with \`convkit import\``,
    );
  }
  const options = metadata.archOptions;
  const archOptions =
    typeof options === 'object' && options !== null && !Array.isArray(options) ? (options as Record<string, unknown>) : {};
  return { arch: metadata.arch, archOptions };
}

/**
 * Reads what model `path` holds: a `convkit train` output folder (or its `model/`), or a registered
 * architecture with weights as `convkit import` saves it. `flag` names the option in the one-line
 * error for a folder that holds neither (`--teacher`, `--init`).
 */
export async function readSavedModelOrigin(path: string, flag: string): Promise<SavedModelOrigin> {
  const trained = await trainedModelFolder(path);
  if (await pathExists(join(trained, MODEL_METADATA))) {
    const metadata = await readModelMetadata(trained);
    return { folder: trained, arch: metadata.arch, archOptions: metadata.archOptions, trained: metadata };
  }
  if (await pathExists(join(path, IMPORT_METADATA))) return { folder: path, ...(await readImportMetadata(path)), trained: undefined };
  throw new ConvkitError(
    'missing-model',
    `--${flag} ${path} holds no convkit model (neither ${MODEL_METADATA} nor ${IMPORT_METADATA}); pass the --out folder of \`convkit train\` or of \`convkit import\``,
  );
}
