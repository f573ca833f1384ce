import { readFileSync } from 'node:fs';

/** The figures test/fixtures/darts_param_counts.py printed from its PyTorch implementation of the reference structure. */
export const referenceCounts = JSON.parse(readFileSync(new URL('../fixtures/darts_param_counts.json', import.meta.url), 'utf8')) as {
  search: Record<string, number>;
  eval: Record<string, { without_auxiliary: number; auxiliary_head: number }>;
};

/** `n` with thousands separators, for test names that quote reference figures. */
export function figure(n: number): string {
  return n.toLocaleString('en-US');
}
