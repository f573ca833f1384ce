import { GRADIENT_TOLERANCE, gradientErrors } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { LocalResponseNorm } from '../src/index.js';
import { onEachBackend } from './support/backends.js';
import { checkLayerContract } from './support/contract.js';
import { loadFixture, maxAbsDiff, type StoredTensor } from './support/fixtures.js';
import './support/setup.js';

interface LrnCase {
  size: number;
  alpha: number;
  beta: number;
  k: number;
  input: StoredTensor;
  output: StoredTensor;
}

/** AlexNet's formula written out in float64: b_c = a_c / (k + alpha * sum_{|j-c| <= n/2} a_j^2)^beta. */
function alexnetLrn(values: number[], channels: number, n: number, alpha: number, beta: number, k: number): number[] {
  return values.map((a, index) => {
    const c = index % channels;
    const base = index - c;
    let sum = 0;
    for (let j = Math.max(0, c - Math.floor(n / 2)); j <= Math.min(channels - 1, c + Math.floor((n - 1) / 2)); j++) {
      sum += (values[base + j] as number) ** 2;
    }
    return a / (k + alpha * sum) ** beta;
  });
}

const fixtures = loadFixture<LrnCase>('lrn.json');

onEachBackend(() => {
  describe('LocalResponseNorm', () => {
    test("matches AlexNet's formula (alpha times the sum of squares) with the paper's k=2, n=5, alpha=1e-4, beta=0.75", () => {
      const x = Array.from({ length: 2 * 3 * 3 * 7 }, (_, i) => Math.sin(i) * 40);
      const y = tf.tidy(() => Array.from((new LocalResponseNorm().apply(tf.tensor(x, [2, 3, 3, 7])) as tf.Tensor).dataSync()));
      const expected = alexnetLrn(x, 7, 5, 1e-4, 0.75, 2);
      expect(maxAbsDiff(y, expected)).toBeLessThan(1e-4);
      // the denominators are far from 1 here, so dividing alpha by n would be caught.
      expect(maxAbsDiff(expected, alexnetLrn(x, 7, 5, 1e-4 / 5, 0.75, 2))).toBeGreaterThan(1e-2);
    });

    test("equals tfjs's localResponseNormalization (which does not divide alpha by n) in the 'alexnet' convention", () => {
      const x = tf.randomNormal([1, 2, 3, 9], 0, 3, 'float32', 5) as tf.Tensor4D;
      const ours = tf.tidy(() => (new LocalResponseNorm({ size: 5, alpha: 0.01, beta: 0.75, k: 2 }).apply(x) as tf.Tensor).dataSync());
      const stock = tf.tidy(() => tf.localResponseNormalization(x, 2, 2, 0.01, 0.75).dataSync());
      expect(maxAbsDiff(ours, stock)).toBeLessThan(1e-5);
    });

    test.each(fixtures.map((c) => [c.size, c.alpha, c] as const))(
      "equals PyTorch's local_response_norm (size %s, alpha %s) in the 'pytorch' convention",
      (size, alpha, c) => {
        const layer = new LocalResponseNorm({ size, alpha, beta: c.beta, k: c.k, convention: 'pytorch' });
        const y = tf.tidy(() => (layer.apply(tf.tensor(c.input.values, c.input.shape)) as tf.Tensor).dataSync());
        expect(maxAbsDiff(y, c.output.values)).toBeLessThan(1e-5);
      },
    );

    test('has gradients equal to central differences', () => {
      const errors = gradientErrors(new LocalResponseNorm({ size: 3, alpha: 0.5, beta: 0.75, k: 1 }), [1, 2, 3, 5]);
      expect(errors.input).toBeLessThan(GRADIENT_TOLERANCE);
    });
  });
});

checkLayerContract("LocalResponseNorm (AlexNet's defaults)", {
  make: () => new LocalResponseNorm(),
  shapes: [
    [
      [5, 5, 3],
      [5, 5, 3],
    ],
    [
      [8, 13, 16],
      [8, 13, 16],
    ],
    [
      [1, 1, 1],
      [1, 1, 1],
    ],
  ],
});

const pytorchOptions = { size: 4, alpha: 0.3, beta: 0.5, k: 1.5, convention: 'pytorch' } as const;
// the contract's round trip compares the loaded config with the original's, which holds these options.
checkLayerContract('LocalResponseNorm (PyTorch convention, even window)', {
  make: () => new LocalResponseNorm(pytorchOptions),
  shapes: [
    [
      [4, 4, 6],
      [4, 4, 6],
    ],
  ],
});

describe('LocalResponseNorm (backend-independent)', () => {
  test('stores its options in its config', () => {
    expect(new LocalResponseNorm(pytorchOptions).getConfig()).toMatchObject(pytorchOptions);
  });

  test('rejects a rank-2 input and bad options naming the layer', () => {
    expect(() => new LocalResponseNorm({ name: 'lrn1' }).computeOutputShape([null, 96])).toThrow(
      /LocalResponseNorm "lrn1" \(input \?x96, NHWC\): expects a rank-4/,
    );
    expect(() => new LocalResponseNorm({ name: 'lrn1', size: 0 })).toThrow(
      /LocalResponseNorm "lrn1": size must be a positive integer, got 0/,
    );
  });
});
