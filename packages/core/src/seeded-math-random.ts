import type { SeededRng } from './rng.js';

/**
 * Runs `body` with `Math.random` drawing from `rng`, then restores it. tfjs initializers and dropout
 * seed themselves from `Math.random` when an architecture gives no seed; routing those draws through
 * the run's checkpointed generator makes weight initialization and dropout masks part of the
 * reproducible, resumable run. `body` must be synchronous so no other code sees the replacement.
 */
export function withSeededMathRandom<T>(rng: SeededRng, body: () => T): T {
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return body();
  } finally {
    Math.random = original;
  }
}
