import { GRADIENT_TOLERANCE, gradientErrors } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { ACTIVATION_NAMES, Activation, activation, applyActivation, canonicalActivation } from '../src/index.js';
import { onEachBackend } from './support/backends.js';
import { checkLayerContract } from './support/contract.js';
import { loadFixture, maxAbsDiff, type StoredTensor } from './support/fixtures.js';
import './support/setup.js';

/**
 * erf by its Maclaurin series `2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))`; for the |x| <= 3.6 used
 * here 80 terms converge and cancellation stays below 1e-10.
 */
function erf(x: number): number {
  let sum = 0;
  let term = x;
  for (let n = 0; n < 80; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const relu6 = (x: number) => Math.min(Math.max(x, 0), 6);
/** Each activation's defining formula in float64, as the papers write it. */
const FORMULAS: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  relu6,
  leakyrelu: (x) => (x > 0 ? x : 0.01 * x),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1)),
  silu: (x) => x * sigmoid(x),
  hardswish: (x) => (x * relu6(x + 3)) / 6,
  hardsigmoid: (x) => relu6(x + 3) / 6,
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  sigmoid,
  tanh: Math.tanh,
};

interface GeluFixture {
  input: StoredTensor;
  exact: StoredTensor;
  tanh: StoredTensor;
}
const [gelu] = loadFixture<GeluFixture>('gelu.json') as [GeluFixture];
const xs = Array.from({ length: 41 }, (_, i) => -5 + i * 0.25);

onEachBackend(() => {
  describe('activations by name', () => {
    test.each(Object.keys(FORMULAS))('%s equals its formula on [-5, 5]', (name) => {
      const y = tf.tidy(() => applyActivation(tf.tensor(xs), name).dataSync());
      expect(maxAbsDiff(y, xs.map(FORMULAS[name] as (x: number) => number))).toBeLessThan(2e-6);
    });

    test('softmax normalises the channel axis', () => {
      const y = tf.tidy(() => Array.from(applyActivation(tf.tensor([[1, 2, 3]]), 'softmax').dataSync()));
      const e = [1, 2, 3].map(Math.exp);
      const total = e.reduce((a, b) => a + b, 0);
      expect(
        maxAbsDiff(
          y,
          e.map((v) => v / total),
        ),
      ).toBeLessThan(1e-6);
    });

    test("GELU's exact (erf) and tanh forms equal their formulas and PyTorch's F.gelu", () => {
      const x = tf.tensor(gelu.input.values);
      const exact = tf.tidy(() => new Activation({ activation: 'gelu' }).apply(x) as tf.Tensor).dataSync();
      const approx = tf.tidy(() => new Activation({ activation: 'gelu', approximate: 'tanh' }).apply(x) as tf.Tensor).dataSync();
      const tanhFormula = gelu.input.values.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
      expect(maxAbsDiff(exact, gelu.exact.values)).toBeLessThan(2e-6);
      expect(maxAbsDiff(approx, gelu.tanh.values)).toBeLessThan(2e-6);
      expect(maxAbsDiff(approx, tanhFormula)).toBeLessThan(2e-6);
      // the two forms differ by up to ~5e-4 around |x| = 2, so the test tells them apart.
      expect(maxAbsDiff(exact, approx)).toBeGreaterThan(1e-4);
    });

    test.each([
      ['gelu', {}],
      ['gelu', { approximate: 'tanh' as const }],
      ['hardswish', {}],
      ['silu', {}],
      ['elu', { alpha: 0.5 }],
    ])('%s %o has gradients equal to central differences', (name, options) => {
      const errors = gradientErrors(new Activation({ activation: name, ...options }), [2, 3, 3, 2]);
      expect(errors.input).toBeLessThan(GRADIENT_TOLERANCE);
    });
  });
});

checkLayerContract('Activation (leaky ReLU with slope 0.2)', {
  make: () => activation({ name: 'leaky_relu', alpha: 0.2 }),
  shapes: [
    [
      [5, 5, 3],
      [5, 5, 3],
    ],
    [[7], [7]],
    [
      [2, 9, 4],
      [2, 9, 4],
    ],
  ],
});

checkLayerContract('Activation (GELU, tanh form)', {
  make: () => activation({ name: 'GELU', approximate: 'tanh' }, 'block.act'),
  shapes: [
    [
      [4, 4, 2],
      [4, 4, 2],
    ],
  ],
});

describe('activation names (backend-independent)', () => {
  test('ignore case, dashes and underscores and resolve aliases', () => {
    expect(canonicalActivation('Hard-Swish')).toBe('hardswish');
    expect(canonicalActivation('swish')).toBe('silu');
    expect(canonicalActivation('leaky_relu')).toBe('leakyrelu');
    expect(new Set(ACTIVATION_NAMES)).toContain('relu6');
  });

  test('store only the options that matter, with defaults filled (leaky slope 0.01 as PyTorch)', () => {
    expect(new Activation({ activation: 'leakyrelu' }).getConfig()).toMatchObject({ activation: 'leakyrelu', alpha: 0.01 });
    expect(new Activation({ activation: 'relu', alpha: 3 }).getConfig()).not.toHaveProperty('alpha');
  });

  test('reject unknown names with suggestions', () => {
    expect(() => activation('rleu')).toThrow(/unknown activation "rleu"; did you mean "elu", "relu"/);
    expect(() => activation({ name: 'gelu', approximate: 'erf' as never })).toThrow(/approximate must be 'none' or 'tanh', got "erf"/);
  });
});
