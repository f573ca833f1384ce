import { type BackendCandidates, type BackendReport, selectBackend } from './backend-selection.js';
import { BROWSER_BACKEND_ORDER, type BrowserBackendName, type BrowserBackendPreference } from './browser-backend-name.js';
import { BROWSER_BACKEND_LOADERS } from './browser-backends.js';

let active: BackendReport<BrowserBackendName> | undefined;

function candidatesFor(preference: BrowserBackendPreference | undefined): BackendCandidates<BrowserBackendName> {
  if (preference === undefined || preference === 'auto') return { list: BROWSER_BACKEND_ORDER, source: 'auto', explicit: false };
  return { list: typeof preference === 'string' ? [preference] : preference, source: 'argument', explicit: typeof preference === 'string' };
}

/**
 * The page's `initBackend` (the `browser` entry of @convkit/core): activates the first of webgpu,
 * webgl, wasm, cpu that the page imported and the browser offers, with convkit's training kernels on
 * wasm and cpu, and reports which one runs and why the others did not, as in Node. Asking for one
 * backend that cannot load is a {@link ConvkitError} that says why and how to fix it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-webgl';
 * import { initBackend } from '@convkit/core';
 * const report = await initBackend('webgl');
 * ```
 */
export async function initBackend(preference?: BrowserBackendPreference): Promise<BackendReport<BrowserBackendName>> {
  active = await selectBackend(BROWSER_BACKEND_LOADERS, candidatesFor(preference), 'initBackend');
  return active;
}

/** The report of the last successful {@link initBackend} in this page, if any. */
export function activeBackend(): BackendReport<BrowserBackendName> | undefined {
  return active;
}
