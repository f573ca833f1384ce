import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/api/evaluate.js';
import { train } from '../src/api/train.js';
import { WeightEma } from '../src/techniques/weight-ema.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { base, freshOut } from './fixtures/train-options.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function dense(): tfl.LayersModel {
  return tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1, name: 'fc' })] });
}
const set = (model: tfl.LayersModel, kernel: number[], bias: number) =>
  model.setWeights([tf.tensor2d(kernel, [2, 1]), tf.tensor1d([bias])]);
const values = (model: tfl.LayersModel) => model.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('exponential moving average of the weights', () => {
  it('after two updates holds d^2 w0 + d (1 - d) w1 + (1 - d) w2, and withAveraged puts the raw weights back', async () => {
    const model = dense();
    set(model, [1, 2], 3);
    const ema = new WeightEma(model, 0.9);
    set(model, [11, 12], 13);
    ema.update();
    set(model, [21, 22], 23);
    ema.update();
    const expected = [1, 2, 3].map((w0) => 0.81 * w0 + 0.09 * (w0 + 10) + 0.1 * (w0 + 20));
    const averaged = await ema.withAveraged(async () => values(model));
    for (const [i, v] of averaged.entries()) expect(v).toBeCloseTo(expected[i] as number, 5);
    expect(values(model)).toEqual([21, 22, 23]);
    // A checkpoint's bytes restore the same average into a fresh one.
    const other = new WeightEma(model, 0.9);
    other.restore(await ema.bytes());
    expect(await other.withAveraged(async () => values(model))).toEqual(averaged);
    ema.dispose();
    other.dispose();
  });

  it('a run with --ema validates and tests the average, and saves it in model-ema/ beside model/', async () => {
    const out = await freshOut();
    const result = await train(base(out, { ema: 0.9, lr: 0.02 }));
    expect(result.history.every((m) => m.emaValAccuracy !== undefined && m.emaValLoss !== undefined)).toBe(true);
    expect(result.ema?.out).toBe(join(out, 'model-ema'));
    const sha = async (folder: string) => JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')).convkit.weightsSha256;
    expect(await sha(join(out, 'model-ema'))).not.toBe(await sha(join(out, 'model')));
    const evaluation = await evaluate({ model: join(out, 'model-ema'), backend: 'cpu', registry: testRegistry() });
    expect(evaluation.top1).toBeCloseTo(result.ema?.testAccuracy as number, 10);
    expect(evaluation.loss).toBeCloseTo(result.ema?.testLoss as number, 6);
    // The raw model is what it would be without averaging: EMA never feeds back into training.
    const plain = await freshOut();
    await train(base(plain, { lr: 0.02 }));
    expect(await sha(join(out, 'model'))).toBe(await sha(join(plain, 'model')));
  });

  it('a run that crashed mid-epoch resumes to the same averaged weights as an uninterrupted run', async () => {
    const sha = async (folder: string) => JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')).convkit.weightsSha256;
    const straight = await freshOut();
    await train(base(straight, { ema: 0.8 }));
    const interrupted = await freshOut();
    const crash = {
      onBatchEnd: (p: { epoch: number; batch: number }) => {
        if (p.epoch === 2 && p.batch === 3) throw new Error('simulated crash');
      },
    };
    await expect(train(base(interrupted, { ema: 0.8, callbacks: [crash] }))).rejects.toThrow('simulated crash');
    await train(base(interrupted, { resume: true }));
    expect(await sha(join(interrupted, 'model-ema'))).toBe(await sha(join(straight, 'model-ema')));
  });

  it('refuses a decay outside (0, 1) in one line', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { ema: 1 })), 'bad-option');
    expect(message).toContain('--ema 1 is invalid; expected a number in (0, 1)');
  });
});
