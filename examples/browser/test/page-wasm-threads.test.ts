import { afterAll, describe, expect, inject, it } from 'vitest';
import { callPage, type OpenPage, openApp } from './support/page.js';
import { PAGE_BUILD } from './support/page-build.js';
import { type StaticServer, serveStatic } from './support/static-server.js';

describe('wasm threads in the page (headless Chromium)', () => {
  const opened: OpenPage[] = [];
  let plainServer: StaticServer | undefined;
  afterAll(async () => {
    for (const app of opened) await app.close();
    await plainServer?.close();
  });

  it('run threaded on a cross-origin isolated page: one thread per logical core the browser reports, up to 8', async () => {
    const app = await openApp(inject('pageUrl'));
    opened.push(app);
    const cores = await app.page.evaluate(() => navigator.hardwareConcurrency);
    // One core would make "threaded" and "one thread" the same figure, and the claim untestable here.
    expect(cores).toBeGreaterThan(1);
    const threads = await callPage(app.page, 'wasmThreads');
    expect(threads.crossOriginIsolated).toBe(true);
    expect(threads.requested).toBe(Math.min(8, cores));
    expect(threads.active).toBe(threads.requested);
    expect(threads.active).toBeGreaterThan(1);
    expect(threads.reason).toBeUndefined();
    expect(threads.device).toBe(`CPU (WebAssembly, XNNPACK, ${threads.active} threads)`);
    // The page's own value is back once the backend has started (tfjs reads it only then).
    expect(await app.page.evaluate(() => navigator.hardwareConcurrency)).toBe(cores);
    expect(app.errors).toEqual([]);
  });

  it('run one thread, and say why, on the same page served without the COOP/COEP headers', async () => {
    plainServer = await serveStatic({ '/': PAGE_BUILD }, false);
    const app = await openApp(plainServer.url);
    opened.push(app);
    const threads = await callPage(app.page, 'wasmThreads');
    expect(threads.crossOriginIsolated).toBe(false);
    expect(threads.active).toBe(1);
    expect(threads.reason).toMatch(
      /not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/,
    );
    expect(app.errors).toEqual([]);
  });
});
