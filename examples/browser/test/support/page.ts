import type { Browser, Page } from 'playwright-core';
import type { PageApi } from '../../src/page-api.js';
import { launchChromium } from './chromium.js';

/** A Chromium page on the built app, ready (its API installed); `errors` collects what the page threw or logged as errors. */
export interface OpenPage {
  browser: Browser;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/** Opens the app at `url` in a fresh headless Chromium and waits until the page says it is ready. */
export async function openApp(url: string): Promise<OpenPage> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // The browser asks for /favicon.ico by itself; the app has none and needs none.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      errors.push(`${message.text()} (${message.location().url})`);
    }
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { browser, page, errors, close: () => browser.close() };
}

type Api = PageApi;
type Method = { [K in keyof Api]: Api[K] extends (...args: never[]) => unknown ? K : never }[keyof Api];

/** Calls one method of the page's `window.convkitPage` with serializable arguments, in the page. */
export function callPage<K extends Method>(page: Page, method: K, ...args: Parameters<Api[K]>): Promise<Awaited<ReturnType<Api[K]>>> {
  return page.evaluate(([name, values]) => (window.convkitPage[name as K] as (...a: unknown[]) => unknown)(...(values as unknown[])), [
    method,
    args,
  ] as const) as Promise<Awaited<ReturnType<Api[K]>>>;
}
