import * as tf from '@tensorflow/tfjs-core';
import { ConvkitError, errorLine } from '../errors.js';
import { BACKEND_LOADERS } from './backend-loaders.js';
import { BACKEND_ENV, BACKEND_ORDER, type BackendName, type BackendPreference, parseBackendPreference } from './backend-name.js';

/** What happened when one backend was tried. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  reason?: string;
  fix?: string;
}

/** Which backend `initBackend` activated, on what device, and why the ones before it were skipped. */
export interface BackendReport {
  backend: BackendName;
  /** Name of the active tfjs backend (`tensorflow`, `wasm`, `cpu`). */
  tfjsBackend: string;
  device: string;
  /** How the choice was made: `auto`, `CONVKIT_BACKEND` or `argument`. */
  source: 'auto' | 'env' | 'argument';
  attempts: BackendAttempt[];
}

let active: BackendReport | undefined;

function candidatesFor(preference: BackendPreference | undefined): {
  list: readonly BackendName[];
  source: BackendReport['source'];
  explicit: boolean;
} {
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

async function attempt(backend: BackendName): Promise<BackendAttempt> {
  const loader = BACKEND_LOADERS[backend];
  const probe = await loader.probe();
  if (!probe.available) return { backend, ok: false, reason: probe.reason, fix: probe.fix };
  try {
    await loader.activate();
    return { backend, ok: true };
  } catch (error) {
    return { backend, ok: false, reason: errorLine(error), fix: `run \`convkit doctor\` for details on the ${backend} backend` };
  }
}

/**
 * Activates the first backend of the preference that loads and reports which one ran and why the
 * others did not. Order by default: tensorflow on CUDA, tensorflow on CPU, wasm, cpu;
 * `CONVKIT_BACKEND` overrides it when no preference is passed. Asking for one backend that cannot
 * load is a {@link ConvkitError} that says why and how to install it — never a silent fallback.
 */
export async function initBackend(preference?: BackendPreference): Promise<BackendReport> {
  const { list, source, explicit } = candidatesFor(preference);
  const attempts: BackendAttempt[] = [];
  for (const backend of list) {
    const result = await attempt(backend);
    attempts.push(result);
    if (result.ok) {
      const loader = BACKEND_LOADERS[backend];
      active = { backend, tfjsBackend: tf.getBackend(), device: loader.device(), source, attempts };
      return active;
    }
  }
  const last = attempts[attempts.length - 1];
  if (explicit && last) {
    const via = source === 'env' ? ` (from ${BACKEND_ENV})` : '';
    throw new ConvkitError('backend-unavailable', `backend "${last.backend}"${via} cannot load: ${last.reason}; fix: ${last.fix}`);
  }
  const summary = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  throw new ConvkitError('no-backend', `no compute backend could load (${summary}); install @tensorflow/tfjs-backend-cpu`);
}

/** The report of the last successful {@link initBackend}, if any. */
export function activeBackend(): BackendReport | undefined {
  return active;
}

/** One-line description of a report, for logs and progress headers. */
export function describeBackend(report: BackendReport): string {
  const skipped = report.attempts.filter((a) => !a.ok).map((a) => `${a.backend} skipped: ${a.reason}`);
  return `backend ${report.backend} on ${report.device}` + (skipped.length > 0 ? ` (${skipped.join('; ')})` : '');
}
