import { BACKEND_LOADERS } from './backend-loaders.js';
import { BACKEND_ENV, BACKEND_ORDER, type BackendName, type BackendPreference, parseBackendPreference } from './backend-name.js';
import { type BackendCandidates, type BackendReport, selectBackend } from './backend-selection.js';

export type { BackendAttempt, BackendReport } from './backend-selection.js';
export { describeBackend } from './backend-selection.js';

let active: BackendReport | undefined;

function candidatesFor(preference: BackendPreference | undefined): BackendCandidates<BackendName> {
  if (preference !== undefined && preference !== 'auto') {
    return {
      list: typeof preference === 'string' ? [preference] : preference,
      source: 'argument',
      explicit: typeof preference === 'string',
    };
  }
  const fromEnv = process.env[BACKEND_ENV];
  if (preference === undefined && fromEnv && fromEnv.trim() !== '') {
    const parsed = parseBackendPreference(fromEnv);
    if (parsed !== 'auto') return { list: [parsed], source: 'env', explicit: true };
  }
  return { list: BACKEND_ORDER, source: 'auto', explicit: false };
}

/**
 * Activates the first backend of the preference that loads and reports which one ran and why the
 * others did not. Order by default: tensorflow on CUDA, tensorflow on CPU, wasm, cpu;
 * `CONVKIT_BACKEND` overrides it when no preference is passed. Asking for one backend that cannot
 * load is a {@link ConvkitError} that says why and how to install it — never a silent fallback.
 */
export async function initBackend(preference?: BackendPreference): Promise<BackendReport> {
  active = await selectBackend(BACKEND_LOADERS, candidatesFor(preference), BACKEND_ENV);
  return active;
}

/** The report of the last successful {@link initBackend}, if any. */
export function activeBackend(): BackendReport | undefined {
  return active;
}
