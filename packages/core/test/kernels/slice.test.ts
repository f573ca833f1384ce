import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { testBackends } from '../../src/testing/backends.js';

/** A slice by the definition: output element (i_0, ..) is input element (begin_0 + i_0, ..). */
function sliceReference(values: number[], shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const total = size.reduce((a, b) => a * b, 1);
  for (let i = 0; i < total; i++) {
    let rest = i;
    let source = 0;
    let stride = 1;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const index = rest % (size[axis] as number);
      rest = Math.floor(rest / (size[axis] as number));
      source += ((begin[axis] as number) + index) * stride;
      stride *= shape[axis] as number;
    }
    out.push(values[source] as number);
  }
  return out;
}

// [shape, begin, size]: channel slices of short and long runs, cuts on middle axes with whole
// axes after them, a contiguous block, ranks 1 to 5, and an empty slice.
const CASES: [number[], number[], number[]][] = [
  [
    [2, 3, 4, 16],
    [0, 0, 0, 4],
    [2, 3, 4, 8],
  ],
  [
    [2, 3, 2, 100],
    [1, 1, 0, 30],
    [1, 2, 2, 70],
  ],
  [
    [4, 5, 6],
    [1, 2, 0],
    [2, 3, 6],
  ],
  [
    [4, 5, 6],
    [2, 0, 0],
    [2, 5, 6],
  ],
  [[9], [3], [4]],
  [
    [2, 2, 3, 2, 5],
    [1, 0, 1, 1, 2],
    [1, 2, 2, 1, 3],
  ],
  [
    [3, 4],
    [1, 0],
    [0, 4],
  ],
];

describe.runIf((await testBackends()).includes('wasm'))('Slice on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test.each(CASES)('slicing %j from %j by %j matches the definition, for float32, int32 and bool', (shape, begin, size) => {
    const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 7919) % 1013);
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const input = dtype === 'bool' ? values.map((v) => v % 2) : values;
      const x = tf.tensor(input, shape, dtype);
      const y = tf.slice(x, begin, size);
      expect(y.shape).toEqual(size);
      expect(y.dtype).toBe(dtype);
      expect(Array.from(y.dataSync()), dtype).toEqual(sliceReference(input, shape, begin, size));
      tf.dispose([x, y]);
    }
  });

  test('a size of -1 runs to the end of its axis, and strings slice as before', () => {
    const x = tf.reshape(tf.range(0, 24), [2, 3, 4]);
    expect(tf.slice(x, [0, 1, 2], [-1, -1, 1]).arraySync()).toEqual([
      [[6], [10]],
      [[18], [22]],
    ]);
    const words = tf.tensor2d(['a', 'b', 'c', 'd', 'e', 'f'], [2, 3]);
    expect(tf.slice(words, [0, 1], [2, 2]).arraySync()).toEqual([
      ['b', 'c'],
      ['e', 'f'],
    ]);
    tf.dispose([x, words]);
  });
});
