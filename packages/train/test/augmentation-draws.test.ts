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
import { colorPrincipalComponents, pcaColorJitter } from '../src/augment/pca-jitter.js';
import { randomCrop } from '../src/augment/random-crop.js';
import { randomResizedCrop } from '../src/augment/random-resized-crop.js';
import type { ImageBatch } from '../src/data/image-batch.js';
import { LabeledImages } from '../src/data/labeled-images.js';
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

  it('resized-crop: after ten windows that do not fit it keeps the whole image, having drawn twenty numbers', () => {
    // Area 16 at aspect 2 on 4x4 asks for a 6x3 window: never inside the image.
    const source = knownBatch(1, [4, 4, 1]);
    const rng = new SeededRng(3);
    const out = randomResizedCrop({ scale: [1, 1], ratio: [2, 2] }).apply(slice(source, 0, 1), rng);
    expect([...out.images]).toEqual([...source.images]);
    const probe = new SeededRng(3);
    for (let i = 0; i < 20; i++) probe.next();
    expect(rng.next()).toBe(probe.next());
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

describe('PCA colour jitter', () => {
  it('finds the eigenvalues of a hand-worked colour covariance', () => {
    // Four 2-channel pixels (0,0), (255,255), (255,255), (0,255): in [0, 1] the channel variances are
    // 1/4 and 3/16 and their covariance 1/8, so the eigenvalues are (7/16 ± sqrt(17)/16) / 2.
    const pixels = Uint8Array.from([0, 0, 255, 255, 255, 255, 0, 255]);
    const { values, vectors } = colorPrincipalComponents(new LabeledImages(pixels, Uint16Array.from([0]), [2, 2, 2], ['a']));
    const expected = [(7 + Math.sqrt(17)) / 32, (7 - Math.sqrt(17)) / 32];
    expect([...values].sort((a, b) => b - a).map((v) => v.toFixed(12))).toEqual(expected.map((v) => v.toFixed(12)));
    for (const [k, v] of vectors.entries()) {
      const [x, y] = v as [number, number];
      const value = values[k] as number;
      expect(Math.abs((1 / 4) * x + (1 / 8) * y - value * x)).toBeLessThan(1e-12);
      expect(Math.abs((1 / 8) * x + (3 / 16) * y - value * y)).toBeLessThan(1e-12);
    }
  });

  it('adds alpha_k lambda_k p_k to every pixel, alpha_k ~ N(0, 0.1) drawn per image in component order', () => {
    const components = {
      values: [0.4, 0.1],
      vectors: [
        [0.6, 0.8],
        [-0.8, 0.6],
      ],
    };
    const source = knownBatch(2, [2, 3, 2]);
    const out = pcaColorJitter({ components }).apply(slice(source, 0, 2), new SeededRng(9));
    const probe = new SeededRng(9);
    const expected = new Float32Array(source.images.length);
    for (let i = 0; i < 2; i++) {
      const [a0, a1] = [probe.normal(0, 0.1), probe.normal(0, 0.1)];
      const shift = [0, 1].map(
        (j) => 0 + a0 * 0.4 * (components.vectors[0]?.[j] as number) + a1 * 0.1 * (components.vectors[1]?.[j] as number),
      );
      for (let p = 0; p < 6; p++)
        for (let j = 0; j < 2; j++) expected[i * 12 + p * 2 + j] = (source.images[i * 12 + p * 2 + j] as number) + (shift[j] as number);
    }
    expect([...out.images]).toEqual([...expected]);
  });

  it('refuses components for another channel count in one line', () => {
    expect(() => pcaColorJitter({ components: { values: [1], vectors: [[1]] } }).apply(knownBatch(1, [2, 2, 3]), new SeededRng(1))).toThrow(
      'pca-jitter components are for 1 channels but images have 3; compute them with colorPrincipalComponents on the training set of these images',
    );
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
    let refusal: { code?: string; message?: string } = {};
    try {
      resizedModel(model, 4, 4, 'fcn');
    } catch (error) {
      refusal = error as typeof refusal;
    }
    expect(refusal.code).toBe('not-size-agnostic');
    expect(refusal.message).toBe(
      'fcn cannot train at 4x4: its output maps changes shape with the input size ([null,4,4,2] instead of [null,8,8,2]); choose an architecture with global pooling such as resnet20',
    );
    model.dispose();
  });
});
