import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { APP, buildPage, EXCHANGE, EXCHANGE_URL } from './page-build.js';
import { serveStatic } from './static-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built page, served cross-origin isolated on loopback. */
    pageUrl: string;
  }
}

/** Builds the page once for every end-to-end file and serves it (and the tests' model exchange folder) with the COOP/COEP headers vite's server sends. */
export default async function setup(project: TestProject) {
  const outDir = join(APP, 'node_modules', '.e2e-page');
  await buildPage(outDir);
  rmSync(EXCHANGE, { recursive: true, force: true });
  mkdirSync(EXCHANGE, { recursive: true });
  const server = await serveStatic({ '/': outDir, [EXCHANGE_URL]: EXCHANGE }, true);
  project.provide('pageUrl', server.url);
  return () => server.close();
}
