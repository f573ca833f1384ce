import { readFileSync } from 'node:fs';

/** A tensor stored by `fixtures/make_fixtures.py`: NHWC shape and flat values. */
export interface StoredTensor {
  shape: number[];
  values: number[];
}

/** The cases of a JSON fixture written by `fixtures/make_fixtures.py` (PyTorch reference values). */
export function loadFixture<Case>(name: string): Case[] {
  const url = new URL(`../fixtures/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: Case[] }).cases;
}

/** Outputs against references: core's helper, re-exported for the tests that import it from here. */
export { maxAbsDiff } from '@convkit/core/testing';
