import { ConvkitError } from '@convkit/core';

/** Parses a `rows,columns` flag (`--shift 1,1`, `--query 16,16`) into two integers; anything else is a one-line error naming the flag. */
export function parsePixelPair(flag: string, text: string): [number, number] {
  const parts = text.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isInteger(n))) {
    throw new ConvkitError('bad-option', `--${flag} ${text} is not two integers; write it like 1,1 (rows, columns)`);
  }
  return parts as [number, number];
}
