import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import type { ConvkitError } from '../errors.js';

/** Bytes per stored value of tfjs's weight dtypes and of its quantized storage dtypes. */
const VALUE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes a weights-manifest entry occupies in the weights data (its quantized storage when it has one). */
export function weightSpecBytes(spec: io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((n, s) => n * s, 1);
  return count * (VALUE_BYTES[spec.quantization?.dtype ?? spec.dtype] ?? 4);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isSize = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks one manifest entry's name, shape, dtype and quantization; returns what is wrong, or undefined. */
function entryProblem(entry: unknown): string | undefined {
  if (!isRecord(entry) || typeof entry.name !== 'string') return 'a weight entry without a name';
  const { name, shape, dtype, quantization } = entry;
  if (!Array.isArray(shape) || !shape.every(isSize)) return `weight ${name} has shape ${JSON.stringify(shape)}`;
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') return `weight ${name} has dtype ${JSON.stringify(dtype)}`;
  if (quantization !== undefined) {
    if (!isRecord(quantization) || !['uint8', 'uint16', 'float16'].includes(quantization.dtype as string)) {
      return `weight ${name} has quantization ${JSON.stringify(quantization)}`;
    }
    const affine = quantization.dtype !== 'float16';
    if (affine && !(Number.isFinite(quantization.scale) && Number.isFinite(quantization.min)))
      return `weight ${name} is quantized without a finite scale and min`;
  }
  // Sizes multiply exactly below 2^53; a larger count cannot be in any file.
  if (shape.reduce((n: number, s: number) => n * s, 1) > Number.MAX_SAFE_INTEGER / 8)
    return `weight ${name} of shape [${shape.join(', ')}] is larger than any file`;
  return undefined;
}

/** A weights manifest, checked, with its files resolved inside the model folder and their sizes. */
export interface CheckedManifest {
  specs: io.WeightsManifestEntry[];
  files: { path: string; bytes: number }[];
}

/**
 * Checks an untrusted `weightsManifest` against the folder before anything is read: its structure, each
 * weight's shape and dtype, every path a file inside the folder (no absolute paths, no `..`, no symlink
 * out of it), and the bytes the weights declare against the files' sizes. `fail(what)` makes the error.
 */
export async function checkManifest(folder: string, manifest: unknown, fail: (what: string) => ConvkitError): Promise<CheckedManifest> {
  if (!Array.isArray(manifest)) throw fail('its weightsManifest is not a list');
  const root = await realpath(folder);
  const specs: io.WeightsManifestEntry[] = [];
  const files: CheckedManifest['files'] = [];
  for (const group of manifest) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights))
      throw fail('a weightsManifest group lacks paths or weights');
    for (const entry of group.weights) {
      const problem = entryProblem(entry);
      if (problem) throw fail(problem);
      specs.push(entry as io.WeightsManifestEntry);
    }
    for (const path of group.paths) {
      if (typeof path !== 'string' || path === '' || isAbsolute(path))
        throw fail(`weights path ${JSON.stringify(path)} is not a file name inside the folder`);
      const full = resolve(root, path);
      const inside = (p: string) => p.startsWith(root + sep) && !relative(root, p).split(sep).includes('..');
      if (!inside(full)) throw fail(`weights path ${JSON.stringify(path)} points outside the model folder`);
      let real: string;
      let bytes: number;
      try {
        real = await realpath(full);
        const info = await stat(real);
        if (!info.isFile()) throw new Error('not a file');
        bytes = info.size;
      } catch {
        throw fail(`weights file ${path} is missing`);
      }
      if (!inside(real)) throw fail(`weights path ${JSON.stringify(path)} links outside the model folder`);
      files.push({ path: real, bytes });
    }
  }
  const declared = specs.reduce((n, spec) => n + weightSpecBytes(spec), 0);
  const stored = files.reduce((n, f) => n + f.bytes, 0);
  if (declared !== stored) throw fail(`weights are ${stored} bytes, expected ${declared}`);
  return { specs, files };
}
