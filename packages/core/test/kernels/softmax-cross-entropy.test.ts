import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle has no gradients; tfjs-layers' bundle registers them all, as in user code.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { SOFTMAX_CROSS_ENTROPY, softmaxCrossEntropy } from '../../src/kernels/tensorflow/softmax-cross-entropy.js';
import { createRng } from '../../src/rng.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError } from '../../src/testing/numeric-gradient.js';

/** Mean softmax cross-entropy and its gradient in the logits (scaled by `dy`) by direct loops in float64. */
function crossEntropyFloat64(logits: Float64Array, labels: Float64Array, n: number, k: number, dy: number) {
  let loss = 0;
  const dx = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[i * k + j] as number);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp((logits[i * k + j] as number) - max);
    let labelSum = 0;
    for (let j = 0; j < k; j++) labelSum += labels[i * k + j] as number;
    for (let j = 0; j < k; j++) {
      const logP = (logits[i * k + j] as number) - max - Math.log(sum);
      loss -= ((labels[i * k + j] as number) * logP) / n;
      dx[i * k + j] = (dy * (Math.exp(logP) * labelSum - (labels[i * k + j] as number))) / n;
    }
  }
  return { loss, dx };
}

/** The same loss from tfjs's own ops (what convkit's cross-entropy ran before the fused kernel). */
const unfused = (logits: tf.Tensor, labels: tf.Tensor) => tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1))) as tf.Scalar;

// One-hot rows, smoothed rows, soft rows (a teacher's or mixup's), and logits large enough that a
// naive softmax would overflow float32.
const CASES = [
  { n: 5, k: 3, labels: 'one-hot', scale: 1 },
  { n: 7, k: 10, labels: 'smoothed', scale: 3 },
  { n: 4, k: 6, labels: 'soft', scale: 1 },
  { n: 3, k: 4, labels: 'smoothed', scale: 200 },
] as const;

function makeLabels(kind: (typeof CASES)[number]['labels'], n: number, k: number, rng: ReturnType<typeof createRng>): Float64Array {
  const labels = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    if (kind === 'soft') {
      const row = Array.from({ length: k }, () => rng.uniform(0.05, 1.05));
      const total = row.reduce((a, b) => a + b, 0);
      row.forEach((v, j) => {
        labels[i * k + j] = v / total;
      });
    } else {
      const hot = Math.floor(rng.uniform(0, k));
      for (let j = 0; j < k; j++) labels[i * k + j] = kind === 'smoothed' ? 0.1 / k + (j === hot ? 0.9 : 0) : j === hot ? 1 : 0;
    }
  }
  return labels;
}

describe.each(await testBackends())('softmax cross-entropy on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('runs as one fused kernel exactly on tensorflow', () => {
    expect(tf.getKernel(SOFTMAX_CROSS_ENTROPY, backend) !== undefined).toBe(backend === 'tensorflow');
  });

  test.each(CASES.map((c) => [`${c.n}x${c.k} ${c.labels} labels, logits x${c.scale}`, c] as const))(
    '%s: loss and logit gradient equal tfjs ops and a float64 reference',
    (_, c) => {
      const rng = createRng(c.n * 31 + c.k);
      const xs = Float64Array.from({ length: c.n * c.k }, () => rng.normal() * c.scale);
      const ys = makeLabels(c.labels, c.n, c.k, rng);
      const dy = 1.7;
      const [loss, dx, lossOps, dxOps] = tf.tidy(() => {
        const x = tf.tensor2d(Float32Array.from(xs), [c.n, c.k]);
        const y = tf.tensor2d(Float32Array.from(ys), [c.n, c.k]);
        const fusedGrad = tf.valueAndGrad((v: tf.Tensor) => softmaxCrossEntropy(v as tf.Tensor2D, y));
        const opsGrad = tf.valueAndGrad((v: tf.Tensor) => unfused(v, y));
        const fused = fusedGrad(x, tf.scalar(dy));
        const ops = opsGrad(x, tf.scalar(dy));
        return [fused.value.dataSync(), fused.grad.dataSync(), ops.value.dataSync(), ops.grad.dataSync()];
      }) as unknown as Float32Array[];
      // The labels, rounded to float32 as the kernel sees them, sum to 1 only within float32.
      const reference = crossEntropyFloat64(
        xs.map((v) => Math.fround(v)),
        ys.map((v) => Math.fround(v)),
        c.n,
        c.k,
        dy,
      );
      expect(maxRelativeError(loss as Float32Array, [reference.loss])).toBeLessThan(1e-5);
      expect(maxRelativeError(dx as Float32Array, reference.dx)).toBeLessThan(1e-4);
      expect(maxRelativeError(loss as Float32Array, lossOps as Float32Array)).toBeLessThan(1e-5);
      expect(maxRelativeError(dx as Float32Array, dxOps as Float32Array)).toBeLessThan(1e-4);
    },
  );
});
