import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Optimizer } from '../src/train/optimizer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function run(optimizer: Optimizer, gradients: number[][], start: number[], lr = 0.1): number[] {
  const w = tf.variable(tf.tensor2d([start], [1, start.length]));
  for (const g of gradients) optimizer.apply([w], [tf.tensor2d([g], [1, g.length])], lr);
  const values = Array.from(w.dataSync());
  w.dispose();
  return values;
}

describe('optimizers', () => {
  it('SGD with momentum follows v = mu v + g, w -= lr v', () => {
    const [w] = run(new Optimizer({ name: 'sgd', momentum: 0.9 }), [[1], [1]], [0]);
    // v1 = 1, w1 = -0.1; v2 = 1.9, w2 = -0.29
    expect(w).toBeCloseTo(-0.29, 6);
  });

  it('Nesterov steps along g + mu v', () => {
    const [w] = run(new Optimizer({ name: 'nesterov', momentum: 0.9 }), [[1]], [0]);
    expect(w).toBeCloseTo(-0.19, 6);
  });

  it("Adam's first step moves every weight by about lr against its gradient's sign", () => {
    const w = run(new Optimizer({ name: 'adam' }), [[3, -0.01]], [0, 0], 0.01);
    expect(w[0]).toBeCloseTo(-0.01, 5);
    expect(w[1]).toBeCloseTo(0.01, 4);
  });

  it('AdamW decays kernels by lr * weightDecay * w, apart from the gradient', () => {
    const [w] = run(new Optimizer({ name: 'adamw', weightDecay: 0.5 }), [[0]], [2], 0.1);
    expect(w).toBeCloseTo(2 - 0.1 * 0.5 * 2, 6);
  });

  it('leaves no tensor behind once disposed, after a step and a restore', async () => {
    const w = tf.variable(tf.tensor2d([[1, 2]]));
    const g = tf.tensor2d([[0.1, 0.2]]);
    const before = tf.memory().numTensors;
    const optimizer = new Optimizer({ name: 'adam' });
    optimizer.apply([w], [g], 0.1);
    optimizer.setState(await optimizer.getState());
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, g]);
  });

  it('a restored state continues exactly like the uninterrupted optimizer', async () => {
    const gradients = [
      [0.3, -1],
      [0.2, 0.5],
      [-0.7, 0.1],
      [1.5, 0.4],
    ];
    const straight = run(new Optimizer({ name: 'adam' }), gradients, [1, 2]);
    const first = new Optimizer({ name: 'adam' });
    const w = tf.variable(tf.tensor2d([[1, 2]]));
    for (const g of gradients.slice(0, 2)) first.apply([w], [tf.tensor2d([g])], 0.1);
    const state = await first.getState();
    const second = new Optimizer({ name: 'adam' });
    second.setState(state);
    for (const g of gradients.slice(2)) second.apply([w], [tf.tensor2d([g])], 0.1);
    expect(Array.from(w.dataSync())).toEqual(straight);
  });
});
