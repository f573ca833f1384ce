import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConvkitError, writeFileAtomic } from '@convkit/core';
import { pathExists } from '../data/find-file.js';
import { RUN_FILES } from '../report/run-files.js';
import { MODEL_METADATA, type ModelMetadata } from './model-metadata-format.js';

export { MODEL_METADATA, type ModelMetadata } from './model-metadata-format.js';

/** The model folder of `path`: a `convkit train` output folder's `model/`, or `path` itself. */
export async function trainedModelFolder(path: string): Promise<string> {
  const nested = join(path, RUN_FILES.model);
  return (await pathExists(join(nested, MODEL_METADATA))) ? nested : path;
}

/** Writes the metadata of the model saved in `folder`. */
export async function writeModelMetadata(folder: string, metadata: ModelMetadata): Promise<void> {
  await writeFileAtomic(join(folder, MODEL_METADATA), JSON.stringify(metadata, null, 2));
}

/** Reads the metadata of a model trained by convkit; other models lack it and are refused with the reason. */
export async function readModelMetadata(folder: string): Promise<ModelMetadata> {
  let text: string;
  try {
    text = await readFile(join(folder, MODEL_METADATA), 'utf8');
  } catch {
    throw new ConvkitError(
      'missing-model',
      `no convkit-trained model in ${folder} (${MODEL_METADATA} not found); pass the --out folder of \`convkit train\` or its model/ subfolder`,
    );
  }
  try {
    return JSON.parse(text) as ModelMetadata;
  } catch {
    // Present but unreadable is not "not found": say so, so the user restores it instead of hunting for the folder.
    throw new ConvkitError(
      'corrupted-model',
      `${join(folder, MODEL_METADATA)} is not valid JSON; restore it from a backup or train the model again`,
    );
  }
}
