import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * One piece of a network whose activations the backward pass recomputes instead of keeping
 * (gradient checkpointing, Chen et al. 2016, _Training Deep Nets with Sublinear Memory Cost_).
 */
export interface Segment {
  /** The values it reads: 0 is the network's input, j > 0 the output of segment j - 1. */
  reads: readonly number[];
  /** The variables it reads (its weights and any architecture parameters). */
  variables: readonly tf.Variable[];
  /**
   * Its output from the values it reads, in `reads` order. Called twice: once in the forward pass,
   * once again inside the backward pass, which must give the same output (a segment with side
   * effects, such as batch norm's running statistics or dropout draws, undoes or replays them on `recompute`).
   */
  run(inputs: tf.Tensor[], pass: 'forward' | 'recompute'): tf.Tensor;
}

/** Indices of the segments whose output depends on one of `wanted`'s variables, directly or through what they read. */
function segmentsToDifferentiate(segments: readonly Segment[], wanted: ReadonlySet<tf.Variable>): boolean[] {
  const needed: boolean[] = [];
  segments.forEach((segment, j) => {
    needed[j] = segment.variables.some((v) => wanted.has(v)) || segment.reads.some((i) => i > 0 && needed[i - 1]);
  });
  return needed;
}

/**
 * The value of a chain of segments (the last one's output, a scalar loss) and its gradients with
 * respect to `variables`, in their order, holding only the segments' outputs between the passes:
 * the backward pass runs each segment again under its own gradient tape, last first, and backpropagates
 * the gradient of its output into what it read. Peak memory is then one segment's activations plus
 * the segments' outputs, not the whole network's activations, for one more forward pass of each
 * segment that has a variable to differentiate upstream of it. A variable no segment reads gets a zero gradient.
 * Call it outside any gradient tape.
 */
export function recomputedGradients(
  input: tf.Tensor,
  segments: readonly Segment[],
  variables: readonly tf.Variable[],
): { value: tf.Scalar; gradients: tf.Tensor[] } {
  const last = segments.length - 1;
  const values: tf.Tensor[] = [input];
  segments.forEach((segment) => {
    values.push(
      tf.tidy(() =>
        segment.run(
          segment.reads.map((i) => values[i] as tf.Tensor),
          'forward',
        ),
      ),
    );
  });
  const value = values[last + 1] as tf.Tensor;
  if (value.rank !== 0) {
    tf.dispose(values.slice(1));
    throw new ConvkitError('bad-segments', `the last segment must output a scalar loss; its output has shape [${value.shape}]`);
  }
  const wanted = new Set(variables);
  const needed = segmentsToDifferentiate(segments, wanted);
  const valueGradients = new Map<number, tf.Tensor>();
  const variableGradients = new Map<tf.Variable, tf.Tensor>();
  const accumulate = <K>(into: Map<K, tf.Tensor>, key: K, gradient: tf.Tensor) => {
    const before = into.get(key);
    into.set(key, before ? tf.add(before, gradient) : gradient);
    if (before) tf.dispose([before, gradient]);
  };
  for (let j = last; j >= 0; j--) {
    const segment = segments[j] as Segment;
    const dy = valueGradients.get(j + 1);
    valueGradients.delete(j + 1);
    if (needed[j] && (dy || j === last)) {
      // a value read twice (both inputs of the first cell are the stem's output) is differentiated once
      const reads = [...new Set(segment.reads)].filter((i) => i > 0 && needed[i - 1]);
      const own = segment.variables.filter((v) => wanted.has(v));
      const inputs = segment.reads.map((i) => values[i] as tf.Tensor);
      const { value: recomputed, grads } = tf
        .engine()
        .gradients(() => segment.run(inputs, 'recompute'), [...reads.map((i) => values[i] as tf.Tensor), ...own], dy, true);
      recomputed.dispose();
      grads.forEach((g, k) => {
        if (!g) return;
        if (k < reads.length) accumulate(valueGradients, reads[k] as number, g);
        else accumulate(variableGradients, own[k - reads.length] as tf.Variable, g);
      });
    }
    dy?.dispose();
    if (j < last) values[j + 1]?.dispose();
  }
  tf.dispose([...valueGradients.values()]);
  return {
    value: value as tf.Scalar,
    gradients: variables.map((v) => variableGradients.get(v) ?? tf.zerosLike(v)),
  };
}
