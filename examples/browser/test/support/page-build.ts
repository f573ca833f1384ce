import { join } from 'node:path';
import { build } from 'vite';

/** The example app's folder. */
export const APP = join(import.meta.dirname, '..', '..');

/** Where the end-to-end tests keep their screenshots and files (gitignored; CI keeps it as an artifact). */
export const TEST_RESULTS = join(APP, 'test-results');

/** Where the global setup builds the page for the end-to-end tests. */
export const PAGE_BUILD = join(APP, 'node_modules', '.e2e-page');

/** A folder the tests write model folders into and the page fetches them from, served under {@link EXCHANGE_URL}. */
export const EXCHANGE = join(APP, 'node_modules', '.e2e-exchange');

/** Where the page finds {@link EXCHANGE} on its own origin (a cross-origin isolated page fetches nothing cross-origin without CORP headers). */
export const EXCHANGE_URL = '/exchange';

/** Builds the page as `pnpm build` does, into `outDir`, so the tests drive the shipped bundle rather than a dev server's transforms. */
export async function buildPage(outDir: string): Promise<void> {
  await build({ root: APP, configFile: join(APP, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}
