import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A maker of fresh temporary folders named `prefix...`, all removed after the test file. */
export function tempFolders(prefix: string): () => Promise<string> {
  const folders: string[] = [];
  afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));
  return async () => {
    const path = await mkdtemp(join(tmpdir(), prefix));
    folders.push(path);
    return path;
  };
}
