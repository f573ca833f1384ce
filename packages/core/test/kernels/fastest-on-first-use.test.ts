import { describe, expect, test } from 'vitest';
import { FastestOnFirstUse } from '../../src/kernels/wasm/fastest-on-first-use.js';

/** A clock that each way advances by its own cost, and counts of the calls. */
function setup(costs: number[][]) {
  let now = 0;
  const calls = costs.map(() => 0);
  const ways = costs.map((cost, i) => (x: number) => {
    now += cost[calls[i] as number] ?? (cost.at(-1) as number);
    calls[i] = (calls[i] as number) + 1;
    return x * 10 + i;
  });
  return { choice: new FastestOnFirstUse(ways, 2, () => now), calls };
}

describe('choosing the fastest way on first use', () => {
  test('times every way twice on a new key, keeps the fastest run of each, and returns the winner’s result', () => {
    // Way 0's first run is cold (9 ms), its second 1 ms; way 1 runs 2 ms every time: way 0 wins.
    const { choice, calls } = setup([[9, 1], [2]]);
    expect(choice.run('a', 4)).toBe(40);
    expect(calls).toEqual([3, 2]);
    expect(choice.choice('a')).toBe(0);
  });

  test('runs only the chosen way for a key seen before, and chooses again for a new key', () => {
    const { choice, calls } = setup([[5], [3]]);
    expect(choice.run('a', 1)).toBe(11);
    expect(calls).toEqual([2, 3]);
    expect(choice.run('a', 2)).toBe(21);
    expect(calls).toEqual([2, 4]);
    expect(choice.choice('b')).toBeUndefined();
    choice.run('b', 3);
    expect(calls).toEqual([4, 7]);
  });
});
