import { initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { roundToFloat16 } from '../src/techniques/float16-emulation.js';

describe('float16 emulation', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each([
    [1, 1],
    [1 + 2 ** -10, 1 + 2 ** -10],
    [1 + 2 ** -11, 1], // a tie goes to the even neighbour
    [1 + 3 * 2 ** -11, 1 + 2 ** -9], // a tie goes to the even neighbour, up this time
    [0.1, 0.0999755859375],
    [-0.1, -0.0999755859375],
    [2 ** 15, 2 ** 15],
    [65504, 65504],
    [65519, 65504],
    [65520, Number.POSITIVE_INFINITY],
    [-1e6, Number.NEGATIVE_INFINITY],
    [2 ** -14, 2 ** -14], // smallest normal
    [2 ** -24, 2 ** -24], // smallest subnormal
    [3 * 2 ** -24, 3 * 2 ** -24],
    [3e-8, 2 ** -24],
    [1e-8, 0],
    [0, 0],
  ])('rounds %f to %f, as IEEE half precision does', (value, expected) => {
    const rounded = roundToFloat16(tf.tensor1d([value]));
    expect(rounded.dataSync()[0]).toBe(Math.fround(expected));
    rounded.dispose();
  });

  it('keeps infinities and NaN', () => {
    const rounded = Array.from(roundToFloat16(tf.tensor1d([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN])).dataSync());
    expect(rounded.slice(0, 2)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(rounded[2]).toBeNaN();
  });

  it('leaves every float16 value unchanged: all 2^15 non-negative finite halves, decoded bit by bit', () => {
    const halves = Float32Array.from({ length: 31 * 1024 }, (_, bits) => {
      const exponent = bits >> 10;
      const mantissa = bits & 1023;
      return exponent === 0 ? mantissa * 2 ** -24 : (1 + mantissa / 1024) * 2 ** (exponent - 15);
    });
    const rounded = roundToFloat16(tf.tensor1d(halves)).dataSync();
    expect(Array.from(rounded)).toEqual(Array.from(halves));
  });
});
