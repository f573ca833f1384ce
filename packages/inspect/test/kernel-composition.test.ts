import { initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyConvolution, applyConvolutions, composeConvolutions, type LinearConv } from '../src/index.js';
import { randomValues } from './random.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** A random convolution, He-scaled (std sqrt(2 / fan-in)) as a network's would be, so outputs stay of order 1. */
function conv(k: number, cin: number, cout: number, seed: number, extra: Partial<LinearConv> = {}): LinearConv {
  const std = Math.sqrt(2 / (k * k * cin));
  return {
    kernel: tf.tensor4d(
      randomValues(k * k * cin * cout, seed).map((v) => v * std),
      [k, k, cin, cout],
    ),
    bias: tf.tensor1d(randomValues(cout, seed + 1)),
    ...extra,
  };
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('kernel composition', () => {
  it('two 3x3 convolutions compose into one 5x5 that reproduces the stack to 1e-5', () => {
    const stack = [conv(3, 2, 4, 1), conv(3, 4, 3, 2)];
    const composed = composeConvolutions(stack);
    expect(composed.kernel.shape).toEqual([5, 5, 2, 3]);
    expect(composed.stride).toBe(1);
    const x = tf.tensor4d(randomValues(2 * 12 * 12 * 2, 3), [2, 12, 12, 2]);
    const viaStack = applyConvolutions(x, stack);
    const viaOne = applyConvolution(x, composed);
    expect(viaOne.shape).toEqual(viaStack.shape);
    expect(maxDifference(viaOne, viaStack)).toBeLessThan(1e-5);
  });

  it('strides and dilations compose: 3x3 stride 2 then 3x3 dilation 2 is one 11x11 of stride 2', () => {
    // size = d1(k1-1) + s1·d2(k2-1) + 1 = 2 + 2·2·2 + 1 = 11
    const stack = [conv(3, 1, 3, 4, { stride: 2 }), conv(3, 3, 2, 5, { dilation: 2 })];
    const composed = composeConvolutions(stack);
    expect(composed.kernel.shape).toEqual([11, 11, 1, 2]);
    expect(composed.stride).toBe(2);
    const x = tf.tensor4d(randomValues(23 * 23, 6), [1, 23, 23, 1]);
    expect(maxDifference(applyConvolution(x, composed), applyConvolutions(x, stack))).toBeLessThan(1e-5);
  });

  it('three layers with a dilated first one compose and reproduce the stack', () => {
    const stack = [conv(3, 2, 2, 7, { dilation: 2 }), conv(1, 2, 3, 8), conv(3, 3, 1, 9, { stride: 2 })];
    const composed = composeConvolutions(stack);
    expect(composed.kernel.shape).toEqual([7, 7, 2, 1]);
    const x = tf.tensor4d(randomValues(17 * 17 * 2, 10), [1, 17, 17, 2]);
    expect(maxDifference(applyConvolution(x, composed), applyConvolutions(x, stack))).toBeLessThan(1e-5);
  });

  it('refuses kernels whose channels do not chain, a non-square kernel and an empty stack, each naming the problem', () => {
    const errorOf = (stack: LinearConv[]) => {
      try {
        composeConvolutions(stack);
      } catch (error) {
        return { code: (error as { code?: string }).code, message: (error as Error).message };
      }
      return undefined;
    };
    expect(errorOf([conv(3, 1, 4, 1), conv(3, 3, 1, 2)])).toEqual({
      code: 'bad-kernel',
      message: 'kernel 2 takes 3 input channels but the stack before it gives 4; chain kernels whose channels match',
    });
    const wide: LinearConv = { kernel: tf.zeros([3, 5, 4, 1]) as tf.Tensor4D };
    expect(errorOf([conv(3, 1, 4, 1), wide])).toEqual({
      code: 'bad-kernel',
      message: 'kernel 2 is 3x5; kernel composition takes square kernels',
    });
    expect(errorOf([])).toEqual({ code: 'bad-kernel', message: 'the stack is empty; pass at least one convolution' });
  });
});
