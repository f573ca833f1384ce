/** Reads a monotonic clock in milliseconds. */
export type Clock = () => number;

/**
 * Ways of computing the same exact result (data movements, whose values do not depend on the way),
 * one of which is chosen per key by timing them all the first time that key is seen, as cuDNN's
 * benchmark mode chooses convolution algorithms: which way is fastest depends on the machine (a
 * transpose order that was 1.7x faster on one CPU was 1.8x slower on another), not only on shapes.
 */
export class FastestOnFirstUse<Args extends unknown[], Result> {
  private readonly chosen = new Map<string, number>();

  /**
   * @param ways the interchangeable implementations; the results of the timing runs are dropped, so
   *   they must be values that need no freeing or that something else frees (as a kernel's intermediates)
   * @param trials runs of each way on first use; the fastest run of each counts, so one cold run does not decide
   */
  constructor(
    private readonly ways: readonly ((...args: Args) => Result)[],
    private readonly trials = 2,
    private readonly clock: Clock = () => performance.now(),
  ) {}

  /** Runs the way chosen for `key`, choosing it first if `key` is new. */
  run(key: string, ...args: Args): Result {
    const known = this.chosen.get(key);
    if (known !== undefined) return (this.ways[known] as (...a: Args) => Result)(...args);
    const best = this.ways.map(() => Number.POSITIVE_INFINITY);
    for (let trial = 0; trial < this.trials; trial++) {
      this.ways.forEach((way, i) => {
        const start = this.clock();
        way(...args);
        best[i] = Math.min(best[i] as number, this.clock() - start);
      });
    }
    const fastest = best.indexOf(Math.min(...best));
    this.chosen.set(key, fastest);
    return (this.ways[fastest] as (...a: Args) => Result)(...args);
  }

  /** The index of the way chosen for `key`, if it has been seen. */
  choice(key: string): number | undefined {
    return this.chosen.get(key);
  }
}
