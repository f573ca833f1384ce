import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import type { ConvkitError } from '../errors.js';
import { checkDeclaredBytes, checkManifestEntries } from './manifest-entries.js';

export { weightSpecBytes } from './manifest-entries.js';

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
  const { specs, paths } = checkManifestEntries(manifest, fail);
  const root = await realpath(folder);
  const files: CheckedManifest['files'] = [];
  for (const path of paths) {
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
  checkDeclaredBytes(
    specs,
    files.reduce((n, f) => n + f.bytes, 0),
    fail,
  );
  return { specs, files };
}
