import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Path of an optional peer dependency's entry point, looked up from this package and then from the
 * current project, or `undefined` when it is not installed. Only resolves; loading a tfjs backend
 * package registers it, which only `initBackend` may do.
 */
export function resolveOptional(specifier: string): string | undefined {
  const origins = [import.meta.url, join(process.cwd(), 'noop.js')];
  for (const origin of origins) {
    try {
      return createRequire(origin).resolve(specifier);
    } catch {
      // not installed from this origin; try the next one
    }
  }
  return undefined;
}

/** Loads an optional peer dependency found by {@link resolveOptional}. */
export async function importOptional<Module>(specifier: string): Promise<Module> {
  const path = resolveOptional(specifier);
  if (!path) throw new Error(`${specifier} is not installed`);
  return (await import(path)) as Module;
}
