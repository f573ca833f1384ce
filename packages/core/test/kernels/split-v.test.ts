import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers the gradients of tfjs-core's ops (tf.grad needs them).
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { testBackends } from '../../src/testing/backends.js';

/** Part `g` of a split by the definition: element (.., j, ..) of part g is input (.., begin_g + j, ..). */
function splitReference(values: number[], shape: number[], sizes: number[], axis: number): number[][] {
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const rows = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const span = (shape[axis] as number) * inner;
  let begin = 0;
  return sizes.map((size) => {
    const part: number[] = [];
    for (let r = 0; r < rows; r++) for (let i = 0; i < size * inner; i++) part.push(values[r * span + begin * inner + i] as number);
    begin += size;
    return part;
  });
}

// [shape, sizes, axis]: channel splits of short rows (grouped convolution) and long ones, other axes.
const CASES: [number[], number[], number][] = [
  [[2, 3, 4, 16], [4, 4, 4, 4], 3],
  [[2, 5, 3, 200], [72, 128], 3],
  [[3, 7, 2], [2, 5], 1],
  [[6, 130], [1, 2, 3], 0],
  [[4, 9], [9], 1],
  [[2, 3, 0, 4], [1, 3], 3],
];

describe.runIf((await testBackends()).includes('wasm'))('SplitV on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test.each(CASES)('splitting shape %j into %j along axis %i matches the definition, for float32, int32 and bool', (shape, sizes, axis) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: size }, (_, i) => (i * 7919) % 1013);
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const input = dtype === 'bool' ? values.map((v) => v % 2) : values;
      const x = tf.tensor(input, shape, dtype);
      const parts = tf.split(x, sizes, axis);
      const expected = splitReference(input, shape, sizes, axis);
      parts.forEach((part, g) => {
        expect(part.shape).toEqual(shape.map((d, i) => (i === axis ? sizes[g] : d)));
        expect(Array.from(part.dataSync()), `${dtype} part ${g}`).toEqual(expected[g]);
      });
      tf.dispose([x, ...parts]);
    }
  });

  test('an even split by a count and a -1 size split as tfjs defines them', () => {
    const x = tf.reshape(tf.range(0, 24), [2, 12]);
    const [a, b, c] = tf.split(x, 3, 1);
    expect(c?.arraySync()).toEqual([
      [8, 9, 10, 11],
      [20, 21, 22, 23],
    ]);
    const [d, e] = tf.split(x, [5, -1], 1);
    expect(e?.shape).toEqual([2, 7]);
    expect((e as tf.Tensor2D).arraySync()[1]?.[0]).toBe(17);
    tf.dispose([x, a, b, c, d, e] as tf.Tensor[]);
  });

  test('the gradient through a channel split is the parts’ gradients side by side', () => {
    const x = tf.randomNormal([2, 3, 3, 12], 0, 1, 'float32', 5);
    const weights = [0.5, -2, 3];
    const grad = tf.grad((input: tf.Tensor) =>
      tf
        .split(input, [4, 6, 2], 3)
        .map((part, g) => tf.mul(tf.sum(tf.square(part)), weights[g] as number))
        .reduce((a, b) => tf.add(a, b)),
    )(x);
    // d/dx of w_g · Σ x² is 2 · w_g · x on the channels of part g.
    const scale = tf.tensor1d([...Array(4).fill(1), ...Array(6).fill(-4), ...Array(2).fill(6)]);
    const expected = tf.mul(x, scale);
    expect(Math.max(...tf.abs(tf.sub(grad, expected)).dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, grad, scale, expected]);
  });
});
