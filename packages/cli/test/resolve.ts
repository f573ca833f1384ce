import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cliRoot } from './run-cli.js';

/** Whether a package resolves from the CLI package, as the CLI would load it. */
export function resolveOptionalFromCli(specifier: string): boolean {
  try {
    createRequire(join(cliRoot, 'package.json')).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
