import type { io } from '@tensorflow/tfjs-core';

/** Bytes per stored value of tfjs's weight dtypes and of its quantized storage dtypes. */
const VALUE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes a weights-manifest entry occupies in the weights data (its quantized storage when it has one). */
export function weightSpecBytes(spec: io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((n, s) => n * s, 1);
  return count * (VALUE_BYTES[spec.quantization?.dtype ?? spec.dtype] ?? 4);
}

/** Whether `value` is a plain JSON object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isSize = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks one manifest entry's name, shape, dtype and quantization; returns what is wrong, or undefined. */
export function entryProblem(entry: unknown): string | undefined {
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

/** An untrusted weights manifest's entries, checked, and the paths it names (not yet checked). */
export interface ManifestEntries {
  specs: io.WeightsManifestEntry[];
  paths: unknown[];
}

/**
 * Checks an untrusted `weightsManifest`'s structure and each weight's name, shape, dtype and
 * quantization; `fail(what)` makes the error. Where the paths point is the caller's to check (a
 * folder resolves them on disk, a page's store looks them up by name).
 */
export function checkManifestEntries<Failure extends Error>(manifest: unknown, fail: (what: string) => Failure): ManifestEntries {
  if (!Array.isArray(manifest)) throw fail('its weightsManifest is not a list');
  const specs: io.WeightsManifestEntry[] = [];
  const paths: unknown[] = [];
  for (const group of manifest) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights))
      throw fail('a weightsManifest group lacks paths or weights');
    for (const entry of group.weights) {
      const problem = entryProblem(entry);
      if (problem) throw fail(problem);
      specs.push(entry as io.WeightsManifestEntry);
    }
    paths.push(...group.paths);
  }
  return { specs, paths };
}

/** Throws unless the bytes the manifest's weights declare are the bytes stored. */
export function checkDeclaredBytes<Failure extends Error>(
  specs: io.WeightsManifestEntry[],
  stored: number,
  fail: (what: string) => Failure,
): void {
  const declared = specs.reduce((n, spec) => n + weightSpecBytes(spec), 0);
  if (declared !== stored) throw fail(`weights are ${stored} bytes, expected ${declared}`);
}
