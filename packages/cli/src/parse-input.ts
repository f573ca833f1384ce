import { ConvkitError, type InputShape } from '@convkit/core';

/** Parses `HxWxC` (e.g. `224x224x3`) into an input shape. */
export function parseInputShape(text: string): InputShape {
  const parts = text.toLowerCase().split('x');
  const numbers = parts.map((p) => Number(p));
  if (parts.length !== 3 || numbers.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new ConvkitError('bad-input-shape', `--input "${text}" is not HxWxC with positive integers; write it like 224x224x3`);
  }
  return numbers as InputShape;
}
