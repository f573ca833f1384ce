import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConvkitError } from '@convkit/core';
import { architectureFile } from './architecture-template.js';
import { scaffoldNames } from './names.js';
import { pluginFiles, type TemplateVersions } from './plugin-template.js';
import { projectFiles } from './project-template.js';

/** What `convkit scaffold` can write. */
export const SCAFFOLD_KINDS = ['project', 'plugin', 'architecture'] as const;
/** One of {@link SCAFFOLD_KINDS}. */
export type ScaffoldKind = (typeof SCAFFOLD_KINDS)[number];

/** What a scaffold wrote. */
export interface ScaffoldResult {
  kind: ScaffoldKind;
  folder: string;
  files: string[];
}

async function isEmptyOrMissing(folder: string): Promise<boolean> {
  const entries = await readdir(folder).catch(() => undefined);
  return entries === undefined || entries.length === 0;
}

/**
 * Writes a new project, plugin package or architecture file named `name` into `folder` (a plugin or
 * project gets its own folder, `folder/NAME` by default). Nothing is ever overwritten: a folder
 * that is not empty, or an architecture file that exists, is refused.
 */
export async function scaffold(kind: ScaffoldKind, name: string, folder: string, versions: TemplateVersions): Promise<ScaffoldResult> {
  const names = scaffoldNames(name);
  let files: Record<string, string>;
  let root: string;
  if (kind === 'architecture') {
    root = resolve(folder);
    files = { [`${names.kebab}.ts`]: architectureFile(names) };
    const existing = await readdir(root).catch(() => [] as string[]);
    if (existing.includes(`${names.kebab}.ts`)) {
      throw new ConvkitError('scaffold-exists', `${join(root, `${names.kebab}.ts`)} already exists; choose another name or --out`);
    }
  } else {
    root = resolve(folder, names.kebab);
    if (!(await isEmptyOrMissing(root))) {
      throw new ConvkitError('scaffold-exists', `${root} already exists and is not empty; choose another name or --out`);
    }
    files = kind === 'plugin' ? pluginFiles(name, names, versions) : projectFiles(names.kebab, versions);
  }
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text, { flag: 'wx' });
  }
  return { kind, folder: root, files: Object.keys(files) };
}
