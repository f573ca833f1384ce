import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { plugin as modern } from '@convkit/arch-modern';
import { plugin as layers } from '@convkit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import { DropPathSchedule } from '../src/techniques/drop-path-schedule.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { base, freshOut } from './fixtures/train-options.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const registry = () => testRegistry().use(layers).use(modern);
const resnet = { arch: 'resnet20', archOptions: { widthMultiplier: 0.25 }, epochs: 1, registry: registry() };

describe('drop-path schedule over depth and epochs', () => {
  it("resnet20's blocks 1..8 of 0..8 drop 0.2 i / 8 at full rate (block 0's rate 0 has no layer), scaled by epoch / epochs", () => {
    const model = registry().create('resnet20', { widthMultiplier: 0.25, dropPath: 0.2, inputShape: [12, 12, 1] });
    const schedule = new DropPathSchedule(model, 'resnet20');
    const full = Array.from({ length: 8 }, (_, i) => (0.2 * (i + 1)) / 8);
    const close = (actual: readonly number[], expected: number[]) => {
      expect(actual.length).toBe(expected.length);
      for (const [i, r] of actual.entries()) expect(r).toBeCloseTo(expected[i] as number, 12);
    };
    close(schedule.rates, full);
    schedule.setEpoch(1, 4);
    const live = () =>
      model.layers.filter((l) => l.getClassName() === 'convkit.DropPath').map((l) => (l as unknown as { rate: number }).rate);
    close(
      live(),
      full.map((r) => r / 4),
    );
    schedule.setEpoch(4, 4);
    close(live(), full);
    model.dispose();
  });

  it('a run with --drop-path trains differently from one without and saves the full rates', async () => {
    const sha = async (run: string) => JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8')).convkit.weightsSha256;
    const dropped = await freshOut();
    await train(base(dropped, { ...resnet, dropPath: 0.2 }));
    const plain = await freshOut();
    await train(base(plain, resnet));
    expect(await sha(dropped)).not.toBe(await sha(plain));
    const topology = JSON.parse(await readFile(join(dropped, 'model', 'model.json'), 'utf8')).modelTopology;
    const rates = (topology.model_config ?? topology).config.layers
      .filter((l: { class_name: string }) => l.class_name === 'convkit.DropPath')
      .map((l: { config: { rate: number } }) => l.config.rate);
    expect(rates.at(-1)).toBeCloseTo(0.2, 12);
  });

  it('refuses --drop-path for an architecture without drop-path layers, and beside dropPath in the architecture options', async () => {
    const message = await expectOneLineError(train(base(await freshOut(), { dropPath: 0.2 })), 'bad-option');
    expect(message).toContain('--drop-path needs drop-path layers but tiny-cnn has none');
    await expectOneLineError(train(base(await freshOut(), { ...resnet, dropPath: 0.2, archOptions: { dropPath: 0.1 } })), 'bad-option');
  });
});
