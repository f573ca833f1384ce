import type { HeapArray } from './wasm-heap.js';

// Below this many elements a run copies faster as a loop than as `set(subarray)`, whose view
// allocation dominates short runs (on Node 20's V8 the two take the same time at 32 elements).
const SHORT_RUN = 32;

/** Copies `length` elements from `src[from]` to `dst[to]`. */
export function copyRun(src: HeapArray, dst: HeapArray, from: number, to: number, length: number): void {
  if (length >= SHORT_RUN) {
    dst.set(src.subarray(from, from + length), to);
    return;
  }
  for (let i = 0; i < length; i++) dst[to + i] = src[from + i] as number;
}
