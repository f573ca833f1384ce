import { access } from 'node:fs/promises';
import { join } from 'node:path';

/** The first of `names` that exists in `folder`, or undefined. */
export async function findFirstFile(folder: string, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) {
    const path = join(folder, name);
    try {
      await access(path);
      return path;
    } catch {
      // not this one; try the next spelling
    }
  }
  return undefined;
}

/** Whether `path` exists. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
