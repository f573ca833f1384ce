import { ConvkitError } from '../errors.js';

/** The compute backends convkit can run on, in the order `initBackend` tries them. */
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** One of {@link BACKEND_ORDER}. */
export type BackendName = (typeof BACKEND_ORDER)[number];

/** A backend name, `auto` (try in order), or an explicit list to try in that order. */
export type BackendPreference = BackendName | 'auto' | readonly BackendName[];

/** Environment variable that overrides the automatic order (same values as `--backend`). */
export const BACKEND_ENV = 'CONVKIT_BACKEND';

/** Parses a user-given backend name (`--backend`, `CONVKIT_BACKEND`), rejecting unknown ones. */
export function parseBackendPreference(value: string): BackendName | 'auto' {
  const normalized = value.trim().toLowerCase();
  if (normalized === 'auto' || (BACKEND_ORDER as readonly string[]).includes(normalized)) return normalized as BackendName | 'auto';
  throw new ConvkitError('unknown-backend', `unknown backend "${value}"; expected one of auto, ${BACKEND_ORDER.join(', ')}`);
}
