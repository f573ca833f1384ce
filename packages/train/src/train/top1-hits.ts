/** Index of the largest of `values[start .. start + length)`; the first one on ties, as `tf.argMax`. */
function argMaxRow(values: ArrayLike<number>, start: number, length: number): number {
  let best = 0;
  for (let j = 1; j < length; j++) if ((values[start + j] as number) > (values[start + best] as number)) best = j;
  return best;
}

/**
 * How many rows of `outputs` (row-major, `classes` per row) put their largest score on the largest
 * entry of the same row of `labels` (one-hot or soft): top-1 hits, as `sum(argMax(outputs) ==
 * argMax(labels))` counts them. A training step computes this on the host from the outputs it reads
 * back, which costs the backend no kernels (on tensorflow the tfjs ops took five per step).
 */
export function top1Hits(outputs: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  let hits = 0;
  for (let start = 0; start < labels.length; start += classes) {
    if (argMaxRow(outputs, start, classes) === argMaxRow(labels, start, classes)) hits += 1;
  }
  return hits;
}
