import { createHash } from 'node:crypto';
import { DEFAULT_DATA, resolveTrainOptions, TRAIN_OPTION_NAMES } from '@convkit/train';
import type { TrialOptions } from './sweep-config.js';

/** JSON with object keys sorted at every depth, so equal options give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The options a trial runs with: the training options with every default filled (so `{}` and
 * `{epochs: 10}` are one trial), plus arch, archOptions, data and backend. Options that do not
 * validate are kept as given: that trial fails on its own, with its reason.
 */
export function resolvedTrialOptions(options: TrialOptions, backend?: string): Record<string, unknown> {
  const given = Object.fromEntries(TRAIN_OPTION_NAMES.filter((n) => options[n] !== undefined).map((n) => [n, options[n]]));
  let training: Record<string, unknown>;
  try {
    training = { ...resolveTrainOptions(given) };
  } catch {
    training = given;
  }
  return {
    arch: options.arch,
    archOptions: options.archOptions ?? {},
    data: options.data ?? DEFAULT_DATA,
    backend: backend ?? 'auto',
    ...training,
  };
}

/** A trial's identity: the first 12 hex digits of the SHA-256 of its resolved options. */
export function trialId(options: TrialOptions, backend?: string): string {
  return createHash('sha256')
    .update(canonicalJson(resolvedTrialOptions(options, backend)))
    .digest('hex')
    .slice(0, 12);
}
