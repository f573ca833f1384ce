import { join } from 'node:path';
import { build } from 'vite';

/** The example app's folder. */
export const APP = join(import.meta.dirname, '..', '..');

/** Where the end-to-end tests keep their screenshots and files (gitignored; CI keeps it as an artifact). */
export const TEST_RESULTS = join(APP, 'test-results');

/** Builds the page as `pnpm build` does, into `outDir`, so the tests drive the shipped bundle rather than a dev server's transforms. */
export async function buildPage(outDir: string): Promise<void> {
  await build({ root: APP, configFile: join(APP, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}
