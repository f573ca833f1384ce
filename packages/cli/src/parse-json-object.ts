import { ConvkitError } from '@convkit/core';

/** Parses a flag holding a JSON object (e.g. `--arch-options '{"auxLogits":true}'`); anything else is a one-line error. */
export function parseJsonObject(flag: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConvkitError('bad-option', `--${flag} ${text} is not a JSON object; write it like '{"activation":"relu"}'`);
  }
  return value as Record<string, unknown>;
}
