import { ConvkitError, errorLine } from '@convkit/core';
import { type Genotype, parseGenotype } from './genotype.js';
import { builtinGenotype, GENOTYPES } from './genotypes.js';

/** How an option names a genotype: a built-in name, a path to a genotype JSON file, or the genotype itself. */
export type GenotypeSource = string | Genotype;

/** Reads a file through Node's fs, found at run time so the package stays importable in a browser. */
function readTextFile(path: string): string {
  const fs = (process as unknown as { getBuiltinModule?: (id: string) => typeof import('node:fs') }).getBuiltinModule?.('node:fs');
  if (!fs) {
    throw new ConvkitError('no-file-system', `genotype file ${path} cannot be read here (no file system); pass the genotype object itself`);
  }
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConvkitError(
      'missing-genotype-file',
      `genotype "${path}" is neither a built-in (${Object.keys(GENOTYPES).join(', ')}) nor a readable file: ${errorLine(error)}`,
    );
  }
}

/**
 * The genotype a source names. A file holds a genotype's JSON, or a search's `genotype.json`
 * (`{"genotype": {...}}`), so `convkit search`'s output feeds `convkit train --arch darts` directly.
 */
export function resolveGenotype(source: GenotypeSource): Genotype {
  if (typeof source !== 'string') return parseGenotype(source);
  if (source in GENOTYPES) return builtinGenotype(source);
  const text = readTextFile(source);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConvkitError('bad-genotype', `genotype file ${source} is not JSON: ${errorLine(error)}`);
  }
  const inner = typeof value === 'object' && value !== null && 'genotype' in value ? (value as { genotype: unknown }).genotype : value;
  return parseGenotype(inner, `genotype file ${source}`);
}
