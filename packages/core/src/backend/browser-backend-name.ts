import { ConvkitError } from '../errors.js';

/** The compute backends convkit can run on in a web page, in the order the page's `initBackend` tries them. */
export const BROWSER_BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** One of {@link BROWSER_BACKEND_ORDER}. */
export type BrowserBackendName = (typeof BROWSER_BACKEND_ORDER)[number];

/** A page backend name, `auto` (try in order), or an explicit list to try in that order. */
export type BrowserBackendPreference = BrowserBackendName | 'auto' | readonly BrowserBackendName[];

/** Parses a user-given page backend name (a select box, a `?backend=` parameter), rejecting unknown ones. */
export function parseBrowserBackendPreference(value: string): BrowserBackendName | 'auto' {
  const normalized = value.trim().toLowerCase();
  if (normalized === 'auto' || (BROWSER_BACKEND_ORDER as readonly string[]).includes(normalized)) {
    return normalized as BrowserBackendName | 'auto';
  }
  throw new ConvkitError('unknown-backend', `unknown backend "${value}"; expected one of auto, ${BROWSER_BACKEND_ORDER.join(', ')}`);
}
