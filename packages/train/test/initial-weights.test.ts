import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { loadModel, saveModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import { classifierLayers } from '../src/train/initial-weights.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { base, freshOut } from './fixtures/train-options.js';

/** Saves a `arch` model with `numClasses` classes as `convkit import` does (model files plus convkit-import.json). */
async function importedModel(arch: string, numClasses: number, metadataArch = arch): Promise<string> {
  const folder = await freshOut();
  const model = testRegistry().create(arch, { numClasses, inputShape: [12, 12, 1] });
  await saveModel(model, folder);
  model.dispose();
  await writeFile(join(folder, 'convkit-import.json'), JSON.stringify({ arch: metadataArch, archOptions: { numClasses } }));
  return folder;
}

async function weightsOf(folder: string): Promise<Record<string, number[]>> {
  const model = await loadModel(folder);
  const named = Object.fromEntries(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
  model.dispose();
  return named;
}

const maxDifference = (a: number[] = [], b: number[] = []) =>
  a.length === b.length ? Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number)))) : Number.POSITIVE_INFINITY;

// A learning rate this small leaves the weights where they started, so the trained model shows what --init loaded.
const frozen = { epochs: 1, lr: 1e-9 };

let imported: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  imported = await importedModel('tiny-cnn', 7);
}, 60_000);

describe('train --init: start from imported or trained weights', () => {
  it("loads a 7-class imported model's conv1 and re-heads its fc to tiny-shapes' 10 classes", async () => {
    const out = await freshOut();
    const result = await train(base(out, { ...frozen, init: imported }));
    expect(result.init).toEqual({ from: imported, loaded: 2, reheaded: ['fc'] });
    const before = await weightsOf(imported);
    const after = await weightsOf(join(out, 'model'));
    expect(maxDifference(after['conv1/kernel'], before['conv1/kernel'])).toBeLessThan(1e-6);
    expect(maxDifference(after['conv1/bias'], before['conv1/bias'])).toBeLessThan(1e-6);
    expect(after['fc/bias']).toHaveLength(10);
  });

  it("takes the architecture from a trained run's folder and loads every weight when the classes agree", async () => {
    const first = await freshOut();
    await train(base(first, { epochs: 1 }));
    const out = await freshOut();
    const { arch: _arch, ...withoutArch } = base(out, frozen);
    const result = await train({ ...withoutArch, init: first });
    expect(result.arch).toBe('tiny-cnn');
    expect(result.init).toEqual({ from: join(first, 'model'), loaded: 4, reheaded: [] });
    const before = await weightsOf(join(first, 'model'));
    const after = await weightsOf(join(out, 'model'));
    for (const name of Object.keys(before)) expect(maxDifference(after[name], before[name]), name).toBeLessThan(1e-6);
  });

  it('without --init the same run starts elsewhere (the loading above is what the test sees)', async () => {
    const out = await freshOut();
    await train(base(out, frozen));
    const before = await weightsOf(imported);
    const after = await weightsOf(join(out, 'model'));
    expect(maxDifference(after['conv1/kernel'], before['conv1/kernel'])).toBeGreaterThan(1e-3);
  });

  it('a folder without a convkit model is a one-line error naming --init', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { init: join(imported, 'nothing-here') })), 'missing-model');
    expect(message).toContain('--init');
  });

  it('an --arch other than the folder holds is a one-line error naming both', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { arch: 'wider-cnn', init: imported })), 'init-mismatch');
    expect(message).toContain('tiny-cnn');
    expect(message).toContain('wider-cnn');
  });

  it('weights of another shape outside the classifier are listed by name in one line', async () => {
    // wider-cnn's 8-filter weights, labelled as tiny-cnn: conv1 does not fit, and that is no re-heading.
    const lying = await importedModel('wider-cnn', 7, 'tiny-cnn');
    const message = await expectOneLineError(train(base(await freshOut(), { init: lying })), 'init-mismatch');
    expect(message).toContain('conv1/kernel (saved [3,3,1,8], model [3,3,1,4])');
  });

  it('finds every classifier of a model with auxiliary heads', () => {
    const model = testRegistry().create('two-head', { numClasses: 3, inputShape: [12, 12, 1] });
    expect([...classifierLayers(model)].sort()).toEqual(['aux', 'main']);
    model.dispose();
  });
});
