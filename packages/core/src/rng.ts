/**
 * Serializable state of a {@link SeededRng}: four 32-bit words of xoshiro128**.
 * Stored in checkpoints so a resumed run draws exactly the numbers the uninterrupted one would.
 */
export type RngState = [number, number, number, number];

/**
 * A small, fast, seedable pseudo-random generator (xoshiro128**) used by everything in convkit that
 * draws random numbers: data shuffling, augmentation, weight-initialiser seeds, architecture search.
 * `Math.random` is never used, so a run with the same seed is reproducible.
 */
export class SeededRng {
  private s: RngState;

  /** Creates a generator from an integer seed (any 32-bit value; 0 is fine). */
  constructor(seed: number) {
    // splitmix32 spreads a small or zero seed into a well-mixed non-zero state.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = [next(), next(), next(), next()];
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /**
   * Normal draw (Box–Muller). The second value of each pair is dropped on purpose: keeping it would
   * be hidden state outside {@link RngState}, and a resumed run would then diverge.
   */
  normal(mean = 0, std = 1): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A fresh 31-bit seed for a tfjs op or initializer that takes a `seed` argument. */
  seed(): number {
    return this.nextUint32() >>> 1;
  }

  /** A copy of the current state, for checkpoints. */
  getState(): RngState {
    return [...this.s];
  }

  /** Restores a state taken by {@link SeededRng.getState}. */
  setState(state: RngState): void {
    this.s = [...state];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Creates a {@link SeededRng}; the one way convkit code obtains randomness. */
export function createRng(seed: number): SeededRng {
  return new SeededRng(seed);
}
