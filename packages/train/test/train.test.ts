import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { plugin as classic } from '@convkit/arch-classic';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/api/evaluate.js';
import { train } from '../src/api/train.js';
import { generateShapes } from '../src/data/shapes.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { base, freshOut } from './fixtures/train-options.js';

// 48x48 colour shapes: the smallest input torchvision's GoogLeNet (with auxiliary heads) accepts is below it.
const colourShapes = {
  name: 'colour-shapes',
  description: 'shapes at 48x48x3',
  open: async () => generateShapes({ seed: 0, trainSize: 48, testSize: 16, shape: [48, 48, 3] }),
};

async function snapshot(folder: string): Promise<Record<string, number>> {
  const files: Record<string, number> = {};
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files[path] = (await stat(path)).mtimeMs;
    }
  };
  await walk(folder);
  return files;
}

describe('train', () => {
  it('trains, checkpoints every epoch, writes metrics.jsonl, the curve, the model and a summary', async () => {
    const out = await freshOut();
    const progress: number[] = [];
    const result = await train(base(out, { onProgress: (p) => progress.push(p.batch) }));
    expect(result).toMatchObject({ arch: 'tiny-cnn', dataset: 'shapes', epochs: 2, backend: 'cpu', out });
    expect(result.testAccuracy).toBeGreaterThan(0.1);
    expect(result.imagesPerSecond).toBeGreaterThan(0);
    expect(progress.length).toBe(2 * Math.ceil(216 / 32));
    const entries = (await readFile(join(out, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const epochs = entries.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochs[1]).toHaveProperty('valAccuracy');
    expect(await readFile(join(out, 'training-curve.svg'), 'utf8')).toContain('<svg');
    expect(JSON.parse(await readFile(join(out, 'checkpoints', 'latest.json'), 'utf8')).epoch).toBe(2);
    const evaluation = await evaluate({ model: out, backend: 'cpu', registry: testRegistry() });
    expect(evaluation.top1).toBeCloseTo(result.testAccuracy, 10);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(80);
    expect(evaluation.top5).toBeGreaterThanOrEqual(evaluation.top1);
  });

  it('evaluate scores the test split the run reported, whatever the seed', async () => {
    const out = await freshOut();
    const result = await train(base(out, { epochs: 1, seed: 3 }));
    const evaluation = await evaluate({ model: out, backend: 'cpu', registry: testRegistry() });
    expect(evaluation.confusion).toEqual(result.confusion);
    expect(evaluation.top1).toBeCloseTo(result.testAccuracy, 10);
  });

  it('resuming a run that crashed mid-epoch ends with the weights of an uninterrupted run', async () => {
    const recipe = { augment: 'crop:1,flip,mixup', optimizer: 'nesterov', lr: 0.05, schedule: 'cosine' } as const;
    const straight = await freshOut();
    await train(base(straight, recipe));
    const interrupted = await freshOut();
    const crash = {
      onBatchEnd: (p: { epoch: number; batch: number }) => {
        if (p.epoch === 2 && p.batch === 3) throw new Error('simulated crash');
      },
    };
    await expect(train(base(interrupted, { ...recipe, callbacks: [crash] }))).rejects.toThrow('simulated crash');
    expect(JSON.parse(await readFile(join(interrupted, 'checkpoints', 'latest.json'), 'utf8')).epoch).toBe(1);
    await train(base(interrupted, { ...recipe, resume: true }));
    const weights = async (run: string) => JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8')).convkit.weightsSha256;
    expect(await weights(interrupted)).toBe(await weights(straight));
  });

  it('early stopping ends the run once the monitored loss stops improving', async () => {
    const out = await freshOut();
    const result = await train(base(out, { epochs: 6, lr: 1e-9, optimizer: 'sgd', patience: 1, minDelta: 1 }));
    expect(result.epochs).toBe(2);
    expect(result.stoppedEarly).toBe(true);
  });

  it("trains torchvision's GoogLeNet with its two auxiliary heads", async () => {
    const registry = testRegistry()
      .use(classic)
      .use({ name: 'colour-shapes', datasets: [colourShapes] });
    const result = await train(
      base(await freshOut(), {
        registry,
        arch: 'googlenet-tv',
        archOptions: { auxLogits: true, widthMultiplier: 0.125 },
        data: 'colour-shapes',
        epochs: 1,
      }),
    );
    expect(Number.isFinite(result.testLoss)).toBe(true);
  });
});

describe('train rejects bad input with one line and overwrites nothing', () => {
  it('unknown architecture', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { arch: 'tiny-cn' })), 'unknown-architecture');
    expect(message).toContain('tiny-cnn');
  });

  it('--lr -1', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { lr: -1 })), 'bad-option');
    expect(message).toContain('--lr -1');
  });

  it('a warm-up longer than the run', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { epochs: 2, warmupEpochs: 2.5 })), 'bad-option');
    expect(message).toContain('--warmup 2.5');
  });

  it('missing dataset path', async () => {
    await expectOneLineError(train(base(await freshOut(), { data: '/no/such/dataset' })), 'missing-dataset-path');
  });

  it('a model whose input does not fit the data', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { arch: 'fixed-input' })), 'input-mismatch');
    expect(message).toContain('12x12x1');
  });

  it('evaluating a model whose convkit-train.json is damaged names the damage', async () => {
    const out = await freshOut();
    await train(base(out, { epochs: 1 }));
    await writeFile(join(out, 'model', 'convkit-train.json'), '{"arch": "tiny-cnn", ');
    const message = await expectOneLineError(evaluate({ model: out, backend: 'cpu', registry: testRegistry() }), 'corrupted-model');
    expect(message).toContain('convkit-train.json');
  });

  it('resuming from a damaged checkpoint pointer or trainer state names the damage, not "nothing to resume"', async () => {
    const out = await freshOut();
    await train(base(out, { epochs: 1 }));
    const latest = join(out, 'checkpoints', 'latest.json');
    const pointer = await readFile(latest, 'utf8');
    await writeFile(latest, '{"folder": ');
    expect(await expectOneLineError(train(base(out, { resume: true })), 'corrupted-checkpoint')).toContain('latest.json is not JSON');
    await writeFile(latest, pointer);
    const state = join(out, 'checkpoints', JSON.parse(pointer).folder, 'trainer-state.json');
    await writeFile(state, '{}');
    expect(await expectOneLineError(train(base(out, { resume: true })), 'corrupted-checkpoint')).toContain('optimizer record');
  });

  it('a checkpoint from another architecture, and a new run into a used folder', async () => {
    const out = await freshOut();
    await train(base(out, { epochs: 1 }));
    const before = await snapshot(out);
    const message = await expectOneLineError(train(base(out, { arch: 'wider-cnn', resume: true })), 'checkpoint-mismatch');
    expect(message).toContain('"tiny-cnn"');
    await expectOneLineError(train(base(out, { epochs: 1 })), 'run-exists');
    expect(await snapshot(out)).toEqual(before);
  });
});
