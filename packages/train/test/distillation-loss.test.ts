import '@tensorflow/tfjs-backend-cpu';
import { maxRelativeError, numericGradient } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { distillationLoss } from '../src/objectives/distillation-loss.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Float64 reference of Hinton et al.'s loss, written from the formula with no tfjs involved.
function softmax64(z: number[], t: number): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp((v - max) / t));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
function reference(student: number[][], teacher: number[][], labels: number[][], t: number, alpha: number): number {
  let total = 0;
  for (const [i, zs] of student.entries()) {
    const ps = softmax64(zs, 1);
    const ce = -(labels[i] as number[]).reduce((s, y, k) => s + y * Math.log(ps[k] as number), 0);
    const pt = softmax64(teacher[i] as number[], t);
    const qs = softmax64(zs, t);
    const kl = pt.reduce((s, p, k) => s + p * Math.log(p / (qs[k] as number)), 0);
    total += alpha * ce + (1 - alpha) * t * t * kl;
  }
  return total / student.length;
}

const student = [
  [1, 2, 0],
  [0.5, -1, 3],
];
const teacher = [
  [0, 3, 1],
  [2, -2, 4],
];
const labels = [
  [0, 1, 0],
  [0, 0, 1],
];
const loss = (s: number[][], t: number, alpha: number) =>
  distillationLoss(tf.tensor2d(s), tf.tensor2d(teacher), tf.tensor2d(labels), { temperature: t, alpha }).dataSync()[0] as number;

describe('distillation loss (Hinton et al. 2015)', () => {
  it('equals alpha CE + (1 - alpha) KL on hand-worked logits at T = 1', () => {
    // Example 1 alone: p_s = softmax(1, 2, 0), p_t = softmax(0, 3, 1), label 1.
    const zs = Math.exp(1) + Math.exp(2) + Math.exp(0);
    const zt = Math.exp(0) + Math.exp(3) + Math.exp(1);
    const ps = [Math.exp(1) / zs, Math.exp(2) / zs, 1 / zs];
    const pt = [1 / zt, Math.exp(3) / zt, Math.exp(1) / zt];
    const ce = -Math.log(ps[1] as number);
    const kl = pt.reduce((s, p, k) => s + p * Math.log(p / (ps[k] as number)), 0);
    const one = distillationLoss(
      tf.tensor2d([student[0] as number[]]),
      tf.tensor2d([teacher[0] as number[]]),
      tf.tensor2d([labels[0] as number[]]),
      {
        temperature: 1,
        alpha: 0.3,
      },
    );
    expect(one.dataSync()[0]).toBeCloseTo(0.3 * ce + 0.7 * kl, 5);
    expect(loss(student, 1, 0.3)).toBeCloseTo(reference(student, teacher, labels, 1, 0.3), 5);
  });

  it('scales the soft term by T^2 at T = 4, on hand-worked logits', () => {
    // Example 1 at T = 4: the tempered distributions are softmax(z / 4).
    const q = (z: number[]) => {
      const e = z.map((v) => Math.exp(v / 4));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    };
    const pt = q(teacher[0] as number[]);
    const qs = q(student[0] as number[]);
    const kl = pt.reduce((s, p, k) => s + p * Math.log(p / (qs[k] as number)), 0);
    const ce = -Math.log(Math.exp(2) / (Math.exp(1) + Math.exp(2) + 1));
    const one = distillationLoss(
      tf.tensor2d([student[0] as number[]]),
      tf.tensor2d([teacher[0] as number[]]),
      tf.tensor2d([labels[0] as number[]]),
      {
        temperature: 4,
        alpha: 0.1,
      },
    );
    expect(one.dataSync()[0]).toBeCloseTo(0.1 * ce + 0.9 * 16 * kl, 5);
    expect(loss(student, 4, 0.1)).toBeCloseTo(reference(student, teacher, labels, 4, 0.1), 5);
    // alpha = 1 is plain cross-entropy; a student equal to its teacher has no soft loss.
    expect(loss(student, 4, 1)).toBeCloseTo(reference(student, teacher, labels, 1, 1), 5);
    expect(
      distillationLoss(tf.tensor2d(teacher), tf.tensor2d(teacher), tf.tensor2d(labels), { temperature: 4, alpha: 0 }).dataSync()[0],
    ).toBeCloseTo(0, 6);
  });

  it.each([1, 4])('its gradient in the student logits matches finite differences of the float64 formula at T = %i', (t) => {
    const x = tf.tensor2d(student);
    const gradient = tf.grad((s: tf.Tensor) =>
      distillationLoss(s, tf.tensor2d(teacher), tf.tensor2d(labels), { temperature: t, alpha: 0.25 }),
    )(x);
    const f = (flat: Float64Array) =>
      reference([Array.from(flat.subarray(0, 3)), Array.from(flat.subarray(3, 6))], teacher, labels, t, 0.25);
    const numeric = numericGradient(f, Float64Array.from(student.flat()), 1e-5);
    expect(maxRelativeError(gradient.dataSync(), numeric)).toBeLessThan(1e-4);
    // The closed form: alpha (p_s - y) + (1 - alpha) T (q_s - p_t), over the batch size; T^2 makes the soft part O(T), not O(1/T).
    const closed = student.flatMap((zs, i) => {
      const ps = softmax64(zs, 1);
      const qs = softmax64(zs, t);
      const pt = softmax64(teacher[i] as number[], t);
      return ps.map((p, k) => (0.25 * (p - (labels[i]?.[k] as number)) + 0.75 * t * ((qs[k] as number) - (pt[k] as number))) / 2);
    });
    expect(maxRelativeError(gradient.dataSync(), closed)).toBeLessThan(1e-4);
  });

  it('takes probability outputs through their log, as the registry declares them', () => {
    const probabilities = distillationLoss(tf.softmax(tf.tensor2d(student)), tf.softmax(tf.tensor2d(teacher)), tf.tensor2d(labels), {
      temperature: 4,
      alpha: 0.1,
      studentKind: 'probabilities',
      teacherKind: 'probabilities',
    });
    expect(probabilities.dataSync()[0]).toBeCloseTo(reference(student, teacher, labels, 4, 0.1), 4);
  });
});
