import { describe, expect, it } from 'vitest';
import { createRng } from '../src/index.js';

describe('SeededRng', () => {
  it('draws the same sequence for the same seed and another for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const drawsA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(drawsA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(drawsA);
  });

  it('continues exactly from a restored state, as a resumed run must', () => {
    const rng = createRng(7);
    rng.normal();
    const state = rng.getState();
    const expected = [rng.next(), rng.normal(), rng.int(100)];
    const resumed = createRng(0);
    resumed.setState(state);
    expect([resumed.next(), resumed.normal(), resumed.int(100)]).toEqual(expected);
  });

  it('has uniform mean 1/2 and normal mean 0 / std 1 over many draws', () => {
    const rng = createRng(1);
    const n = 100_000;
    let uniformSum = 0;
    let normalSum = 0;
    let normalSquares = 0;
    for (let i = 0; i < n; i++) {
      uniformSum += rng.next();
      const z = rng.normal();
      normalSum += z;
      normalSquares += z * z;
    }
    expect(uniformSum / n).toBeCloseTo(0.5, 2);
    expect(normalSum / n).toBeCloseTo(0, 1.5);
    expect(Math.sqrt(normalSquares / n)).toBeCloseTo(1, 1.5);
  });

  it('shuffles into a permutation and keeps every integer draw in range', () => {
    const rng = createRng(3);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    for (let i = 0; i < 1000; i++) expect(rng.int(7)).toBeLessThan(7);
  });
});
