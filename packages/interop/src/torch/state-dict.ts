import { parseSafetensors, type SafetensorsContents, type SafetensorsTensor } from '../safetensors/parse.js';
import { readSafetensors } from '../safetensors/read-file.js';
import type { TorchNameRules } from './torch-names.js';

/** A state_dict to import: a `.safetensors` path, its bytes, or its parsed contents. */
export type StateDictSource = string | Uint8Array | SafetensorsContents;

/** One PyTorch parameter: its key in the state_dict and its tensor. */
export interface TorchParam {
  key: string;
  tensor: SafetensorsTensor;
}

/** A state_dict's parameters grouped by module path (after renames), then by parameter name. */
export type TorchModules = Map<string, Map<string, TorchParam>>;

/** Bookkeeping state PyTorch saves that has no weight to go to (BatchNorm's step counter). */
const IGNORED_PARAMS = new Set(['num_batches_tracked']);

/** Reads `source` and names it for errors. */
export async function loadStateDict(source: StateDictSource): Promise<{ contents: SafetensorsContents; label: string }> {
  if (typeof source === 'string') return { contents: await readSafetensors(source), label: source };
  if (source instanceof Uint8Array) return { contents: parseSafetensors(source), label: 'the state_dict' };
  return { contents: source, label: 'the state_dict' };
}

/** Groups the tensors by module path, renamed by `rules`; returns the keys it ignores too. */
export function groupModules(contents: SafetensorsContents, rules: Required<TorchNameRules>): { modules: TorchModules; ignored: string[] } {
  const modules: TorchModules = new Map();
  const ignored: string[] = [];
  for (const [key, tensor] of contents.tensors) {
    const dot = key.lastIndexOf('.');
    const param = key.slice(dot + 1);
    if (IGNORED_PARAMS.has(param)) {
      ignored.push(key);
      continue;
    }
    const path = rules.renames.reduce((name, [pattern, replacement]) => name.replace(pattern, replacement), key.slice(0, Math.max(dot, 0)));
    const params = modules.get(path) ?? new Map<string, TorchParam>();
    modules.set(path, params);
    params.set(param, { key, tensor });
  }
  return { modules, ignored };
}
