import { createRng, initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { top1Hits } from '../src/train/top1-hits.js';

beforeAll(async () => {
  await initBackend('cpu');
});

test("top1Hits counts what tfjs's sum(argMax(outputs) == argMax(labels)) counts, ties to the first index included", () => {
  const rng = createRng(5);
  const [rows, classes] = [40, 6];
  // Scores rounded to a few values make ties common; soft labels with ties too.
  const outputs = Float32Array.from({ length: rows * classes }, () => Math.round(rng.uniform(0, 3)));
  const labels = Float32Array.from({ length: rows * classes }, () => Math.round(rng.uniform(0, 2)) / 2);
  const expected = tf.tidy(
    () =>
      tf
        .sum(tf.equal(tf.argMax(tf.tensor2d(outputs, [rows, classes]), -1), tf.argMax(tf.tensor2d(labels, [rows, classes]), -1)))
        .dataSync()[0],
  );
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(rows);
  expect(top1Hits(outputs, labels, classes)).toBe(expected);
});

test('top1Hits counts a row as a hit exactly when its largest score sits on the true class', () => {
  const labels = Float32Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1]);
  expect(top1Hits(Float32Array.from([0.1, 0.8, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4]), labels, 3)).toBe(2);
  expect(top1Hits(Float32Array.from([0.5, 0.5, 0, 0.5, 0.5, 0, 0, 1, 0]), labels, 3)).toBe(1);
});
