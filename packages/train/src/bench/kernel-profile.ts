/** One kernel's share of a profiled step: how often it ran and how long it took in total. */
export interface KernelShare {
  name: string;
  calls: number;
  /** Summed `kernelTimeMs` over the calls; 0 where the backend could not time a kernel. */
  ms: number;
}

/** What {@link kernelShares} reads of a `tf.profile` kernel record. */
export interface ProfiledKernel {
  name: string;
  /** `tf.profile` has awaited it by the time it returns; anything but a number means the backend could not time it. */
  kernelTimeMs: number | { error: string } | Promise<unknown>;
}

/**
 * Groups one profiled step's kernel calls by kernel name, slowest total first (ties: most calls
 * first), so a benchmark can say where a step's time goes, not only how many calls it makes.
 */
export function kernelShares(kernels: readonly ProfiledKernel[]): KernelShare[] {
  const byName = new Map<string, KernelShare>();
  for (const kernel of kernels) {
    const share = byName.get(kernel.name) ?? { name: kernel.name, calls: 0, ms: 0 };
    share.calls += 1;
    if (typeof kernel.kernelTimeMs === 'number') share.ms += kernel.kernelTimeMs;
    byName.set(kernel.name, share);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms || b.calls - a.calls);
}
