import { ConvkitError } from '../../errors.js';

/** A wasm thread count given by `source` (a function or an environment variable), checked to be a positive integer. */
export function parseWasmThreads(value: string | number, source: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw new ConvkitError('invalid-wasm-threads', `${source} must be a positive integer thread count, got "${value}"; for example 2`);
  }
  return count;
}
