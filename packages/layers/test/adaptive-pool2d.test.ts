import { isConvkitError, summarizeModel } from '@convkit/core';
import { GRADIENT_TOLERANCE, gradientErrors } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { input, model } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { AdaptiveAvgPool2d, AdaptiveMaxPool2d, adaptiveBins } from '../src/index.js';
import { onEachBackend } from './support/backends.js';
import { loadFixture, maxAbsDiff, type StoredTensor } from './support/fixtures.js';
import { saveAndLoad } from './support/round-trip.js';
import { declaredAndActualShape } from './support/shapes.js';
import './support/setup.js';

interface AdaptiveCase {
  input: StoredTensor;
  outputSize: [number, number];
  avg: StoredTensor;
  max: StoredTensor;
}

const cases = loadFixture<AdaptiveCase>('adaptive-pool.json');
const pools = [
  ['avg', AdaptiveAvgPool2d],
  ['max', AdaptiveMaxPool2d],
] as const;

describe('adaptiveBins', () => {
  test("uses PyTorch's floor/ceil boundaries, overlapping when the size does not divide", () => {
    expect(adaptiveBins(7, 3)).toEqual([
      { start: 0, end: 3 },
      { start: 2, end: 5 },
      { start: 4, end: 7 },
    ]);
    expect(adaptiveBins(5, 7).map((b) => b.start)).toEqual([0, 0, 1, 2, 2, 3, 4]);
  });
});

onEachBackend(() => {
  describe.each(pools)('adaptive %s pooling', (kind, Pool) => {
    test.each(cases.map((c) => [`${c.input.shape[1]}x${c.input.shape[2]} -> ${c.outputSize.join('x')}`, c] as const))(
      "equals PyTorch's adaptive_%s_pool2d for %s",
      (_, c) => {
        const expected = c[kind];
        const layer = new Pool({ outputSize: c.outputSize });
        const y = tf.tidy(() => (layer.apply(tf.tensor(c.input.values, c.input.shape)) as tf.Tensor).arraySync());
        expect(tf.tensor(y as number[]).shape).toEqual(expected.shape);
        expect(maxAbsDiff((y as number[][][][]).flat(3), expected.values)).toBeLessThan(1e-5);
      },
    );

    test('declares the output shape it returns at several input sizes', () => {
      for (const [h, w] of [
        [7, 7],
        [10, 13],
        [2, 3],
      ]) {
        const { declared, actual } = declaredAndActualShape(new Pool({ outputSize: [3, 4] }), [h as number, w as number, 2]);
        expect(declared).toEqual([2, 3, 4, 2]);
        expect(actual).toEqual(declared);
      }
    });

    test('has gradients equal to central differences (7x7 -> 3x3, overlapping bins)', () => {
      // Max pooling has a kink wherever two inputs of a bin tie: a step of 1e-4 stays clear of the
      // closest pair the seeded input has; averaging is linear, so the default 1e-3 rounds less.
      const errors = gradientErrors(new Pool({ outputSize: 3 }), [1, 7, 7, 2], { step: kind === 'max' ? 1e-4 : 1e-3 });
      expect(errors.input).toBeLessThan(GRADIENT_TOLERANCE);
    });
  });
});

describe.each(pools)('adaptive %s pooling (backend-independent)', (_, Pool) => {
  test('survives a save/load round trip with identical outputs and config', async () => {
    const layer = new Pool({ outputSize: [3, 2] });
    const { before, after, loaded } = await saveAndLoad(layer, [7, 5, 3]);
    expect(after).toEqual(before);
    expect(loaded.getClassName()).toBe(Pool.className);
    // as checkLayerContract compares them: a lost or altered outputSize would show here.
    expect(loaded.getConfig()).toEqual(layer.getConfig());
  });

  test('rejects a rank-3 input naming the layer, the shape and the constraint', () => {
    const layer = new Pool({ outputSize: 2, name: 'head.pool' });
    expect(() => layer.computeOutputShape([null, 7, 3])).toThrow(
      /Adaptive(Avg|Max)Pool2d "head.pool" \(input \?x7x3, NHWC\): expects a rank-4/,
    );
  });

  test('rejects a non-positive output size', () => {
    expect(() => new Pool({ outputSize: [0, 2] })).toThrow(/outputSize must be positive integers, got \[0,2\]/);
    // caught outside the constructor call so that a constructor that does not throw fails the test.
    let thrown: unknown;
    try {
      new Pool({ outputSize: -1 });
    } catch (error) {
      thrown = error;
    }
    expect(isConvkitError(thrown)).toBe(true);
  });

  test('is global in summaries at 1x1 and costs one op per pooled element', () => {
    const x = input({ shape: [6, 6, 4] });
    const summary = summarizeModel(model({ inputs: x, outputs: new Pool({ outputSize: 1 }).apply(x) as never }));
    const row = summary.layers[1];
    expect(row?.receptiveField.global).toBe(true);
    expect(row?.macs).toBe(6 * 6 * 4);
    expect(row?.estimated).toBe(false);
  });
});
