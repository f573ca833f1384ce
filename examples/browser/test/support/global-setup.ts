import { mkdirSync, rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildPage, EXCHANGE, EXCHANGE_URL, PAGE_BUILD } from './page-build.js';
import { serveStatic } from './static-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built page, served cross-origin isolated on loopback. */
    pageUrl: string;
  }
}

/** Builds the page once for every end-to-end file and serves it (and the tests' model exchange folder) with the COOP/COEP headers vite's server sends. */
export default async function setup(project: TestProject) {
  await buildPage(PAGE_BUILD);
  rmSync(EXCHANGE, { recursive: true, force: true });
  mkdirSync(EXCHANGE, { recursive: true });
  const server = await serveStatic({ '/': PAGE_BUILD, [EXCHANGE_URL]: EXCHANGE }, true);
  project.provide('pageUrl', server.url);
  return () => server.close();
}
