import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Registry, saveModel, sha256, writeFileAtomic } from '@convkit/core';
import { type ImportReport, importTorchWeights } from './import-weights.js';
import type { TorchNameRules } from './torch-names.js';

/** File beside an imported model's `model.json` that says how to rebuild it and where its weights came from. */
export const IMPORT_METADATA = 'convkit-import.json';

/** What {@link IMPORT_METADATA} holds. */
export interface ImportMetadata {
  arch: string;
  archOptions: Record<string, unknown>;
  /** The safetensors file imported, and the SHA-256 of its bytes. */
  weights: { file: string; sha256: string };
  /** Counts of the import report (the names are in the report `importTorchModel` returns). */
  assigned: number;
  missing: string[];
  unexpected: string[];
  mismatched: string[];
}

/** Options of {@link importTorchModel}. */
export interface ImportTorchModelOptions {
  registry: Registry;
  arch: string;
  archOptions?: Record<string, unknown>;
  /** A `.safetensors` state_dict. */
  weights: string;
  /** Folder to save the model in (tfjs LayersModel files plus {@link IMPORT_METADATA}). */
  out: string;
  strict?: boolean;
  map?: TorchNameRules;
}

/** What {@link importTorchModel} did. */
export interface ImportModelResult extends ImportReport {
  arch: string;
  out: string;
  params: number;
}

/**
 * Builds registered architecture `arch`, imports a PyTorch state_dict into it
 * ({@link importTorchWeights}, with the architecture family's name rules) and saves the model to `out`
 * with the provenance in {@link IMPORT_METADATA}: what `convkit import` does.
 */
export async function importTorchModel(options: ImportTorchModelOptions): Promise<ImportModelResult> {
  const { registry, arch, out } = options;
  const spec = registry.get(arch).value;
  const archOptions = options.archOptions ?? {};
  const model = registry.create(arch, archOptions);
  try {
    const report = await importTorchWeights(model, options.weights, {
      family: spec.family,
      ...(options.map ? { map: options.map } : {}),
      ...(options.strict === undefined ? {} : { strict: options.strict }),
    });
    await saveModel(model, out);
    const metadata: ImportMetadata = {
      arch,
      archOptions,
      weights: { file: options.weights, sha256: sha256(await readFile(options.weights)) },
      assigned: report.assigned.length,
      missing: report.missing,
      unexpected: report.unexpected,
      mismatched: report.mismatched,
    };
    await writeFileAtomic(join(out, IMPORT_METADATA), JSON.stringify(metadata, null, 2));
    return { ...report, arch, out, params: model.countParams() };
  } finally {
    model.dispose();
  }
}
