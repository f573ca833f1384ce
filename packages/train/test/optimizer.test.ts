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

  it.each(['sgd', 'nesterov', 'adam', 'adamw'] as const)(
    '%s: variables of one shape updated together equal each updated alone, bit for bit, also across a restore',
    async (name) => {
      const shapes = [[2, 3], [4], [2, 3], [2, 3]];
      const start = shapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', i + 1));
      const grads = [0, 1, 2].map((step) => shapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 10 * step + i)));
      const config = { name, weightDecay: 0.01 };
      const together = start.map((t) => tf.variable(t.clone()));
      let optimizer = new Optimizer(config);
      for (const g of grads) optimizer.apply(together, g, 0.1);
      const alone = start.map((t) => tf.variable(t.clone()));
      const singles = alone.map(() => new Optimizer(config));
      for (const g of grads) {
        alone.forEach((v, i) => {
          singles[i]?.apply([v], [g[i] as tf.Tensor], 0.1);
        });
      }
      together.forEach((v, i) => {
        expect(Array.from(v.dataSync())).toEqual(Array.from((alone[i] as tf.Variable).dataSync()));
      });
      // A checkpoint after the first step, restored into a fresh optimizer, continues the same way.
      const resumed = start.map((t) => tf.variable(t.clone()));
      optimizer.dispose();
      optimizer = new Optimizer(config);
      optimizer.apply(resumed, grads[0] as tf.Tensor[], 0.1);
      const state = await optimizer.getState();
      expect(state.slots.map((s) => s.shape)).toEqual(shapes.flatMap((shape) => (name.startsWith('adam') ? [shape, shape] : [shape])));
      optimizer.dispose();
      const restored = new Optimizer(config);
      restored.setState(state);
      for (const g of grads.slice(1)) restored.apply(resumed, g, 0.1);
      resumed.forEach((v, i) => {
        expect(Array.from(v.dataSync())).toEqual(Array.from((alone[i] as tf.Variable).dataSync()));
      });
      restored.dispose();
      for (const o of singles) o.dispose();
      tf.dispose([...start, ...grads.flat(), ...together, ...alone, ...resumed]);
    },
  );

  it('updates same-shape variables with a handful of kernels per shape, not per variable', async () => {
    const variables = Array.from({ length: 10 }, (_, i) => tf.variable(tf.fill([3, 3], i)));
    const gradients = variables.map(() => tf.ones([3, 3]));
    const optimizer = new Optimizer({ name: 'sgd' });
    const profile = await tf.profile(() => optimizer.apply(variables, gradients, 0.1));
    // Pack the weights and the gradients, momentum (mul, add), step (mul, sub), unpack: 7 for ten variables.
    expect(profile.kernels.length).toBe(7);
    optimizer.dispose();
    tf.dispose([...variables, ...gradients]);
  });
});
