import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, SeededRng } from '@convkit/core';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { bilinearTaps } from '../src/data/bilinear.js';
import { CIFAR10, CIFAR100, decodeCifarRecords, openCifarFolder } from '../src/data/cifar.js';
import { openImageFolder } from '../src/data/image-folder.js';
import { channelStatistics } from '../src/data/normalization.js';
import { openDataset } from '../src/data/open-dataset.js';
import { generateShapes } from '../src/data/shapes.js';
import { splitValidation } from '../src/data/split.js';
import { plugin } from '../src/plugin.js';
import { expectOneLineError } from './fixtures/one-line-error.js';

function cifarRecord(labelBytes: number[], red: number, green: number, blue: number): Uint8Array {
  const record = new Uint8Array(labelBytes.length + 3072);
  record.set(labelBytes);
  record.fill(red, labelBytes.length, labelBytes.length + 1024);
  record.fill(green, labelBytes.length + 1024, labelBytes.length + 2048);
  record.fill(blue, labelBytes.length + 2048);
  return record;
}

describe('CIFAR binary', () => {
  it('turns planar RGB records into NHWC pixels and reads the fine label of CIFAR-100', () => {
    const ten = decodeCifarRecords(cifarRecord([7], 10, 20, 30), CIFAR10, 'x');
    expect(Array.from(ten.images.subarray(0, 6))).toEqual([10, 20, 30, 10, 20, 30]);
    expect(ten.labels[0]).toBe(7);
    const hundred = decodeCifarRecords(cifarRecord([3, 42], 1, 2, 3), CIFAR100, 'y');
    expect(hundred.labels[0]).toBe(42);
  });

  it('reports a file that is not a whole number of records as truncated', async () => {
    await expectOneLineError(
      Promise.resolve().then(() => decodeCifarRecords(new Uint8Array(3000), CIFAR10, 'z.bin')),
      'truncated-cifar',
    );
  });

  it('opens an extracted cifar-10-batches-bin folder with its class names', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'convkit-cifar-'));
    for (const file of CIFAR10.trainFiles) await writeFile(join(folder, file), cifarRecord([1], 0, 0, 0));
    await writeFile(join(folder, CIFAR10.testFile), Buffer.concat([cifarRecord([2], 0, 0, 0), cifarRecord([3], 0, 0, 0)]));
    await writeFile(join(folder, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
    const splits = await openCifarFolder(folder, CIFAR10);
    expect([splits.train.size, splits.test.size]).toEqual([5, 2]);
    expect(splits.train.shape).toEqual([32, 32, 3]);
    expect(splits.test.classNames[3]).toBe('cat');
  });
});

describe('bilinear taps', () => {
  it('are the identity at the same size and halve pixel centres when doubling', () => {
    const same = bilinearTaps(4, 4);
    expect([Array.from(same.lo), Array.from(same.hi), Array.from(same.frac)]).toEqual([
      [0, 1, 2, 3],
      [1, 2, 3, 3],
      [0, 0, 0, 0],
    ]);
    // Output centres 0.5, 1.5, ... of 4 pixels over 2 map to input -0.25 (clamped), 0.25, 0.75, 1.25.
    const doubled = bilinearTaps(4, 2);
    expect([Array.from(doubled.lo), Array.from(doubled.frac)]).toEqual([
      [0, 0, 0, 1],
      [0, 0.25, 0.75, 0],
    ]);
  });
});

describe('image folders', () => {
  it('decodes PNG and JPEG files from one folder per class and resizes them', async () => {
    const root = await mkdtemp(join(tmpdir(), 'convkit-images-'));
    for (const name of ['cats', 'dogs']) await mkdir(join(root, name));
    for (let i = 0; i < 3; i++) {
      const png = new PNG({ width: 8, height: 6 });
      png.data.fill(200);
      await writeFile(join(root, 'cats', `c${i}.png`), PNG.sync.write(png));
      const pixels = Buffer.alloc(10 * 10 * 4, 30);
      await writeFile(join(root, 'dogs', `d${i}.jpg`), jpeg.encode({ data: pixels, width: 10, height: 10 }, 95).data);
    }
    const splits = await openImageFolder(root, { shape: [4, 4, 3], testFraction: 0.34, rng: new SeededRng(1) });
    expect(splits.train.size + splits.test.size).toBe(6);
    expect(splits.train.classNames).toEqual(['cats', 'dogs']);
    const all = [...Array.from({ length: splits.train.size }, (_, i) => [splits.train.labels[i], splits.train.pixels(i)[0]] as const)];
    for (const [label, value] of all) expect(Math.abs((value as number) - (label === 0 ? 200 : 30))).toBeLessThan(4);
  });
});

describe('dataset resolution', () => {
  const registry = new Registry().use(plugin);

  it('opens a registered dataset by name', async () => {
    const splits = await openDataset('shapes', registry, { seed: 1 });
    expect(splits.train.shape).toEqual([28, 28, 1]);
  });

  it('names a missing dataset path', async () => {
    const message = await expectOneLineError(openDataset('./no/such/folder', registry, { seed: 0 }), 'missing-dataset-path');
    expect(message).toContain('./no/such/folder');
  });

  it('suggests close names for an unknown dataset name', async () => {
    const message = await expectOneLineError(openDataset('fashion-mnis', registry, { seed: 0 }), 'unknown-dataset');
    expect(message).toContain('fashion-mnist');
  });
});

describe('shapes, split and statistics', () => {
  it('generates the same images from the same seed and different ones from another', () => {
    const a = generateShapes({ seed: 5, trainSize: 50, testSize: 10 });
    const b = generateShapes({ seed: 5, trainSize: 50, testSize: 10 });
    const c = generateShapes({ seed: 6, trainSize: 50, testSize: 10 });
    expect(Buffer.compare(a.train.images, b.train.images)).toBe(0);
    expect(Buffer.compare(a.train.images, c.train.images)).not.toBe(0);
    expect(new Set(a.train.labels).size).toBeGreaterThan(5);
  });

  it('holds out a seeded validation fraction without losing images', () => {
    const data = generateShapes({ seed: 1, trainSize: 100, testSize: 1 }).train;
    const { train, validation } = splitValidation(data, 0.2, new SeededRng(3));
    expect([train.size, validation?.size]).toEqual([80, 20]);
    // Each image (with its label) lands in exactly one part: none lost, none duplicated.
    const images = (set: typeof data) =>
      Array.from({ length: set.size }, (_, i) => `${set.labels[i]}:${Buffer.from(set.pixels(i)).toString('hex')}`);
    const parts = [...images(train), ...(validation ? images(validation) : [])];
    expect(parts.sort()).toEqual(images(data).sort());
  });

  it('computes per-channel mean and std in [0, 1] units', () => {
    const data = generateShapes({ seed: 1, trainSize: 30, testSize: 1, shape: [8, 8, 3] }).train;
    const stats = channelStatistics(data);
    expect(stats.mean).toHaveLength(3);
    let sum = 0;
    for (let i = 0; i < data.images.length; i += 3) sum += (data.images[i] as number) / 255;
    expect(stats.mean[0]).toBeCloseTo(sum / (data.images.length / 3), 10);
    for (const s of stats.std) expect(s).toBeGreaterThan(0);
  });
});
