import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import type { RunStart } from '../src/api/train-options.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { base, freshOut } from './fixtures/train-options.js';

const modelSha = async (folder: string) => JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')).convkit.weightsSha256;
const logEntries = async (out: string) =>
  (await readFile(join(out, 'metrics.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
// Wall-clock figures differ between any two runs; everything else must match.
const withoutTime = (entries: { time: string; seconds?: number; imagesPerSecond?: number }[]) =>
  entries.map(({ time: _time, seconds: _seconds, imagesPerSecond: _speed, ...rest }) => rest);

describe('resume tells the truth', () => {
  it('reports the epoch it resumes at, takes the architecture and data from the checkpoint, and may extend --epochs', async () => {
    const straight = await freshOut();
    await train(base(straight, { epochs: 2 }));
    const extended = await freshOut();
    await train(base(extended, { epochs: 1 }));
    const starts: RunStart[] = [];
    const result = await train({
      out: extended,
      resume: true,
      epochs: 2,
      backend: 'cpu',
      registry: testRegistry(),
      onStart: (s) => starts.push(s),
    });
    expect(starts).toEqual([{ arch: 'tiny-cnn', out: extended, epoch: 1, epochs: 2, resumed: true, engine: 'eager' }]);
    expect(result.epochs).toBe(2);
    // A constant learning rate does not depend on the run's length, so 1 + 1 epochs is the 2-epoch run.
    expect(await modelSha(join(extended, 'model'))).toBe(await modelSha(join(straight, 'model')));
  });

  it('refuses options that would change the run it continues, naming the stored value', async () => {
    const out = await freshOut();
    await train(base(out, { epochs: 1, schedule: 'cosine' }));
    const lr = await expectOneLineError(train(base(out, { epochs: 1, schedule: 'cosine', lr: 0.1, resume: true })), 'resume-conflict');
    expect(lr).toContain('--lr 0.1 cannot apply to the run in');
    expect(lr).toContain('which has 0.01');
    const epochs = await expectOneLineError(train(base(out, { epochs: 3, schedule: 'cosine', resume: true })), 'resume-conflict');
    expect(epochs).toContain('cosine schedule');
    const arch = await expectOneLineError(
      train(base(out, { schedule: 'cosine', archOptions: { width: 9 }, resume: true })),
      'resume-conflict',
    );
    expect(arch).toContain('--arch-options');
  });

  it('logs every step with a timestamp, tells epochs apart, and a resumed log equals the uninterrupted one', async () => {
    const straight = await freshOut();
    await train(base(straight));
    const entries = await logEntries(straight);
    const steps = entries.filter((e) => e.type === 'step');
    expect(steps.map((e) => e.step)).toEqual(Array.from({ length: 2 * Math.ceil(216 / 32) }, (_, i) => i + 1));
    expect(entries.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([1, 2]);
    for (const entry of entries) expect(Number.isNaN(Date.parse(entry.time))).toBe(false);

    const interrupted = await freshOut();
    const crash = {
      onBatchEnd: (p: { epoch: number; batch: number }) => {
        if (p.epoch === 2 && p.batch === 4) throw new Error('simulated crash');
      },
    };
    await expect(train(base(interrupted, { callbacks: [crash] }))).rejects.toThrow('simulated crash');
    await train(base(interrupted, { resume: true }));
    expect(withoutTime(await logEntries(interrupted))).toEqual(withoutTime(entries));
  });
});

describe('checkpoint policy', () => {
  it('keeps the newest N epoch checkpoints and the best model, and model/ is the best epoch when asked', async () => {
    const out = await freshOut();
    const result = await train(base(out, { epochs: 3, keepCheckpoints: 2, finalModel: 'best', minDelta: 0 }));
    expect((await readdir(join(out, 'checkpoints'))).sort()).toEqual(['best', 'epoch-0002', 'epoch-0003', 'latest.json']);
    const losses = result.history.map((m) => m.valLoss as number);
    expect(result.modelEpoch).toBe(losses.indexOf(Math.min(...losses)) + 1);
    expect(await modelSha(join(out, 'model'))).toBe(await modelSha(join(out, 'checkpoints', 'best')));
    const metadata = JSON.parse(await readFile(join(out, 'model', 'convkit-train.json'), 'utf8'));
    expect(metadata.epoch).toBe(result.modelEpoch);
  });

  it('model/ is the last epoch by default', async () => {
    const out = await freshOut();
    const result = await train(base(out, { epochs: 2 }));
    expect(result.modelEpoch).toBe(2);
    expect(await modelSha(join(out, 'model'))).toBe(await modelSha(join(out, 'checkpoints', 'epoch-0002')));
  });

  it('--overwrite replaces a run on purpose; without it, or together with --resume, the run is kept', async () => {
    const out = await freshOut();
    await train(base(out, { epochs: 1 }));
    await expectOneLineError(train(base(out, { epochs: 1 })), 'run-exists');
    await expectOneLineError(train(base(out, { epochs: 1, overwrite: true, resume: true })), 'bad-option');
    const result = await train(base(out, { epochs: 2, overwrite: true }));
    expect(result.epochs).toBe(2);
    expect((await logEntries(out)).filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([1, 2]);
  });
});

describe('input the user gave is never silently overridden', () => {
  it('numClasses that disagrees with the data is an error', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { archOptions: { numClasses: 3 } })), 'output-mismatch');
    expect(message).toContain('numClasses 3');
    expect(message).toContain('10 classes');
  });

  it('inputShape that disagrees with the data is an error', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { archOptions: { inputShape: [16, 16, 1] } })), 'input-mismatch');
    expect(message).toContain('16x16x1');
  });
});
