import '@tensorflow/tfjs-backend-cpu';
import { SeededRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { compose } from '../src/augment/augmentation.js';
import { sampleBeta, sampleGamma } from '../src/augment/beta.js';
import { cutout } from '../src/augment/cutout.js';
import { horizontalFlip } from '../src/augment/flip.js';
import { mixup } from '../src/augment/mixup.js';
import { pcaColorJitter } from '../src/augment/pca-jitter.js';
import { randomCrop } from '../src/augment/random-crop.js';
import { randomResizedCrop } from '../src/augment/random-resized-crop.js';
import type { ImageBatch } from '../src/data/image-batch.js';
import { resizedModel } from '../src/techniques/resized-model.js';

// Survivors of Stryker's run over the augmentations and progressive resizing: what each augmentation
// is called, how many draws an image takes from the run's RNG, which way a crop shifts, the Gamma
// sampler's moments, and the refusal of a model whose output grows with its input.

/** `count` images of `shape` whose pixel values are all distinct. */
function knownBatch(count: number, shape: [number, number, number]): ImageBatch {
  const size = shape[0] * shape[1] * shape[2];
  const images = Float32Array.from({ length: count * size }, (_, i) => (i + 1) / (count * size + 1));
  return { images, labels: new Float32Array(count), count, shape, numClasses: 1 };
}

/** Images `from` to `to` (exclusive) of a batch, copied. */
function slice(batch: ImageBatch, from: number, to: number): ImageBatch {
  const size = batch.shape[0] * batch.shape[1] * batch.shape[2];
  return { ...batch, images: batch.images.slice(from * size, to * size), labels: batch.labels.slice(from, to), count: to - from };
}

const components = { values: [0.5], vectors: [[1]] };

describe('each augmentation', () => {
  it('is named as --augment names it, and a chain by its parts in order', () => {
    const each = [randomCrop(), horizontalFlip(), cutout(), mixup(), randomResizedCrop(), pcaColorJitter({ components })];
    expect(each.map((a) => a.name)).toEqual(['crop', 'flip', 'cutout', 'mixup', 'resized-crop', 'pca-jitter']);
    expect(compose([randomCrop(), horizontalFlip(), cutout()]).name).toBe('crop,flip,cutout');
  });

  // A resumed run replays the RNG from its checkpoint, so a draw more or less per batch shifts every
  // later image: the draws of a batch are its images' draws, nothing else.
  it.each([
    ['crop', randomCrop({ padding: 2 })],
    ['flip', horizontalFlip()],
    ['cutout', cutout({ size: 3 })],
    ['resized-crop', randomResizedCrop()],
    ['pca-jitter', pcaColorJitter({ components })],
  ])('%s: two batches of 3 in a row give exactly the images of one batch of 6', (_name, augmentation) => {
    const whole = augmentation.apply(knownBatch(6, [6, 6, 1]), new SeededRng(11));
    const rng = new SeededRng(11);
    const first = augmentation.apply(slice(knownBatch(6, [6, 6, 1]), 0, 3), rng);
    const second = augmentation.apply(slice(knownBatch(6, [6, 6, 1]), 3, 6), rng);
    expect([...first.images, ...second.images]).toEqual([...whole.images]);
  });

  it('crop: output pixel (y, x) is input pixel (y + dy, x + dx) for the offsets the RNG draws, dy first', () => {
    const padding = 2;
    const [h, w] = [6, 7];
    const source = knownBatch(1, [h, w, 1]);
    for (const seed of [1, 2, 3, 4, 5]) {
      const probe = new SeededRng(seed);
      const dy = probe.int(2 * padding + 1) - padding;
      const dx = probe.int(2 * padding + 1) - padding;
      const out = randomCrop({ padding, fill: -1 }).apply(slice(source, 0, 1), new SeededRng(seed));
      const expected = Array.from({ length: h * w }, (_, p) => {
        const [sy, sx] = [Math.floor(p / w) + dy, (p % w) + dx];
        return sy < 0 || sy >= h || sx < 0 || sx >= w ? -1 : (source.images[sy * w + sx] as number);
      });
      expect([...out.images], `seed ${seed}: dy ${dy}, dx ${dx}`).toEqual(expected);
    }
  });
});

describe('the Gamma sampler behind mixup', () => {
  // Beta(a, a) is symmetric whatever Gamma sampler builds it, so mixup's own test cannot see a wrong
  // Gamma; its mean and variance are both `shape`.
  it.each([0.2, 1, 2.5])('Gamma(%d) has mean and variance equal to its shape over 40,000 draws', (shape) => {
    const rng = new SeededRng(5);
    const draws = Array.from({ length: 40_000 }, () => sampleGamma(shape, rng));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
    // About five standard errors of each estimate.
    expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / draws.length));
    expect(Math.abs(variance - shape)).toBeLessThan(5 * Math.sqrt((3 * shape * (shape + 2) - shape ** 2) / draws.length));
  });

  it('Beta(2, 5) has mean 2/7', () => {
    const rng = new SeededRng(6);
    const draws = Array.from({ length: 40_000 }, () => sampleBeta(2, 5, rng));
    expect(Math.abs(draws.reduce((a, b) => a + b, 0) / draws.length - 2 / 7)).toBeLessThan(0.003);
  });
});

describe('a model resized to another input', () => {
  it('refuses, in one line naming the output and both shapes, a model whose output grows with its input', async () => {
    await tf.setBackend('cpu');
    const input = tfl.input({ shape: [8, 8, 1] });
    const output = tfl.layers.conv2d({ filters: 2, kernelSize: 1, name: 'maps' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: output });
    expect(() => resizedModel(model, 4, 4, 'fcn')).toThrow(
      'fcn cannot train at 4x4: its output maps changes shape with the input size ([null,4,4,2] instead of [null,8,8,2]); choose an architecture with global pooling such as resnet20',
    );
    model.dispose();
  });
});
