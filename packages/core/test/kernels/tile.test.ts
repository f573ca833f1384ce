import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { testBackends } from '../../src/testing/backends.js';

/** Tile by the definition: output element i reads input element (i_k mod d_k) on every axis. */
function tileReference(values: number[], shape: number[], reps: number[]): number[] {
  const outShape = shape.map((d, i) => d * (reps[i] as number));
  const size = outShape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    let rest = i;
    let source = 0;
    let stride = 1;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const o = outShape[axis] as number;
      const d = shape[axis] as number;
      source += ((rest % o) % d) * stride;
      rest = Math.floor(rest / o);
      stride *= d;
    }
    out.push(values[source] as number);
  }
  return out;
}

const CASES: [number[], number[]][] = [
  [
    [1, 1, 1, 5],
    [4, 3, 2, 1],
  ],
  [
    [2, 3],
    [3, 2],
  ],
  [[3], [4]],
  [
    [2, 1, 3],
    [1, 5, 2],
  ],
  [
    [2, 2, 2],
    [1, 1, 1],
  ],
  [
    [1, 4],
    [0, 2],
  ],
  [
    [2, 3, 1, 2, 2],
    [2, 1, 3, 1, 2],
  ],
];

describe.runIf((await testBackends()).includes('wasm'))('Tile on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test.each(CASES)('tiling shape %j by %j matches the definition, for float32, int32 and bool', (shape, reps) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: size }, (_, i) => (i * 7) % 11);
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const input = dtype === 'bool' ? values.map((v) => v % 2) : values;
      const x = tf.tensor(input, shape, dtype);
      const y = tf.tile(x, reps);
      expect(y.shape).toEqual(shape.map((d, i) => d * (reps[i] as number)));
      expect(Array.from(y.dataSync()), dtype).toEqual(tileReference(input, shape, reps));
      tf.dispose([x, y]);
    }
  });

  test('string tensors, which live outside the wasm heap, are tiled by the stock kernel', () => {
    const x = tf.tensor(['a', 'b', 'c'], [1, 3], 'string');
    const y = tf.tile(x, [2, 2]);
    expect(y.shape).toEqual([2, 6]);
    expect(y.arraySync()).toEqual([
      ['a', 'b', 'c', 'a', 'b', 'c'],
      ['a', 'b', 'c', 'a', 'b', 'c'],
    ]);
    const letters = Array.from({ length: 6 }, (_, i) => String.fromCharCode(97 + i));
    const x3 = tf.tensor(letters, [2, 1, 3], 'string');
    const y3 = tf.tile(x3, [1, 3, 2]);
    const indices = tileReference([0, 1, 2, 3, 4, 5], [2, 1, 3], [1, 3, 2]);
    expect(Array.from(y3.dataSync() as unknown as string[])).toEqual(indices.map((i) => letters[i]));
    tf.dispose([x, y, x3, y3]);
  });
});
