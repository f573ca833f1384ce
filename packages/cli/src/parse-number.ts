import { ConvkitError } from '@convkit/core';

/**
 * Parses a numeric flag's text (oclif's `Flags.integer` takes integers only, and `--lr 1e-3` must
 * work). A non-number is a one-line error naming the flag; range checks stay in the library, which
 * knows what each value means.
 */
export function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new ConvkitError('bad-option', `--${flag} ${text} is not a number; write it like 0.01 or 1e-3`);
  }
  return value;
}
