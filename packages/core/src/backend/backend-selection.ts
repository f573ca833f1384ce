import * as tf from '@tensorflow/tfjs-core';
import { ConvkitError, errorLine } from '../errors.js';
import type { BackendLoader } from './backend-loader.js';
import type { BackendName } from './backend-name.js';

/** What happened when one backend was tried. */
export interface BackendAttempt<Name extends string = BackendName> {
  backend: Name;
  ok: boolean;
  reason?: string;
  fix?: string;
}

/** Which backend `initBackend` activated, on what device, and why the ones before it were skipped. */
export interface BackendReport<Name extends string = BackendName> {
  backend: Name;
  /** Name of the active tfjs backend (`tensorflow`, `wasm`, `cpu`, `webgl`, `webgpu`). */
  tfjsBackend: string;
  device: string;
  /** How the choice was made: `auto`, `CONVKIT_BACKEND` or `argument`. */
  source: 'auto' | 'env' | 'argument';
  attempts: BackendAttempt<Name>[];
}

/** The candidates of one `initBackend` call, in order, and whether exactly one was asked for. */
export interface BackendCandidates<Name extends string> {
  list: readonly Name[];
  source: BackendReport['source'];
  explicit: boolean;
}

async function attempt<Name extends string>(backend: Name, loader: BackendLoader): Promise<BackendAttempt<Name>> {
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
 * Tries `candidates` in order with their `loaders` and reports the first that activates; the one
 * algorithm behind Node's and the page's `initBackend`, which differ only in their loaders. Asking
 * for exactly one backend that cannot load is a {@link ConvkitError} saying why and how to fix it.
 */
export async function selectBackend<Name extends string>(
  loaders: Record<Name, BackendLoader>,
  { list, source, explicit }: BackendCandidates<Name>,
  envName: string,
): Promise<BackendReport<Name>> {
  const attempts: BackendAttempt<Name>[] = [];
  for (const backend of list) {
    const loader = loaders[backend];
    const result = await attempt(backend, loader);
    attempts.push(result);
    if (result.ok) return { backend, tfjsBackend: tf.getBackend(), device: loader.device(), source, attempts };
  }
  const last = attempts[attempts.length - 1];
  if (explicit && last) {
    const via = source === 'env' ? ` (from ${envName})` : '';
    throw new ConvkitError('backend-unavailable', `backend "${last.backend}"${via} cannot load: ${last.reason}; fix: ${last.fix}`);
  }
  const summary = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  throw new ConvkitError('no-backend', `no compute backend could load (${summary}); install @tensorflow/tfjs-backend-cpu`);
}

/** One-line description of a report, for logs and progress headers. */
export function describeBackend(report: BackendReport<string>): string {
  const skipped = report.attempts.filter((a) => !a.ok).map((a) => `${a.backend} skipped: ${a.reason}`);
  return `backend ${report.backend} on ${report.device}` + (skipped.length > 0 ? ` (${skipped.join('; ')})` : '');
}
