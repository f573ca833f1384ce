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

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}
