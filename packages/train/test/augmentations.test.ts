import { SeededRng } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import { compose } from '../src/augment/augmentation.js';
import { cutout } from '../src/augment/cutout.js';
import { flipHorizontal, horizontalFlip } from '../src/augment/flip.js';
import { mixup } from '../src/augment/mixup.js';
import { colorPrincipalComponents, pcaColorJitter } from '../src/augment/pca-jitter.js';
import { randomCrop } from '../src/augment/random-crop.js';
import { randomResizedCrop } from '../src/augment/random-resized-crop.js';
import { type ImageBatch, makeBatch } from '../src/data/image-batch.js';
import { generateShapes } from '../src/data/shapes.js';
import { expectOneLineError } from './fixtures/one-line-error.js';

const colourShapes = generateShapes({ seed: 3, trainSize: 64, testSize: 1, shape: [10, 12, 3] }).train;
const batch = (): ImageBatch =>
  makeBatch(
    colourShapes,
    Array.from({ length: 16 }, (_, i) => i),
  );

describe('augmentations', () => {
  it('horizontal flip is its own inverse', () => {
    const original = batch();
    const flipped = horizontalFlip({ probability: 1 }).apply(batch(), new SeededRng(1));
    expect(Array.from(flipped.images)).not.toEqual(Array.from(original.images));
    const twice = horizontalFlip({ probability: 1 }).apply(flipped, new SeededRng(2));
    expect(Array.from(twice.images)).toEqual(Array.from(original.images));
  });

  it('flipHorizontal mirrors columns and keeps channel order', () => {
    const image = Float32Array.from([1, 2, 3, 4, 5, 6]); // 1x2x3
    flipHorizontal(image, [1, 2, 3]);
    expect(Array.from(image)).toEqual([4, 5, 6, 1, 2, 3]);
  });

  it('random crop keeps the size and moves content by at most the padding', () => {
    const original = batch();
    const cropped = randomCrop({ padding: 2 }).apply(batch(), new SeededRng(5));
    expect(cropped.images.length).toBe(original.images.length);
    expect(cropped.shape).toEqual(original.shape);
    expect(Array.from(cropped.images)).not.toEqual(Array.from(original.images));
    // Every image must be the original shifted by some (dy, dx) within the padding, zeros outside.
    const [h, w, c] = original.shape;
    const size = h * w * c;
    const shiftedBy = (i: number, dy: number, dx: number) =>
      Array.from({ length: size }, (_, p) => {
        const y = Math.floor(p / (w * c)) + dy;
        const x = Math.floor(p / c) % w;
        const sx = x + dx;
        return y >= 0 && y < h && sx >= 0 && sx < w ? (original.images[i * size + (y * w + sx) * c + (p % c)] as number) : 0;
      });
    for (let i = 0; i < cropped.count; i++) {
      const image = Array.from(cropped.images.subarray(i * size, (i + 1) * size));
      const shifts = [-2, -1, 0, 1, 2].flatMap((dy) => [-2, -1, 0, 1, 2].map((dx) => [dy, dx] as const));
      expect(
        shifts.some(([dy, dx]) => shiftedBy(i, dy, dx).every((v, p) => v === image[p])),
        `image ${i}`,
      ).toBe(true);
    }
  });

  it('random crop with padding 0 is the identity', () => {
    const cropped = randomCrop({ padding: 0 }).apply(batch(), new SeededRng(5));
    expect(Array.from(cropped.images)).toEqual(Array.from(batch().images));
  });

  it('random resized crop keeps the size and stays in the input range', () => {
    const out = randomResizedCrop().apply(batch(), new SeededRng(9));
    expect(out.images.length).toBe(batch().images.length);
    expect(Math.min(...out.images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out.images)).toBeLessThanOrEqual(1);
  });

  it('PCA colour jitter keeps the mean colour in expectation over many draws', () => {
    const components = colorPrincipalComponents(colourShapes);
    const jitter = pcaColorJitter({ components, std: 0.1 });
    const rng = new SeededRng(11);
    const reference = batch();
    const meanShift = [0, 0, 0];
    let singleShift = 0;
    const draws = 400;
    for (let d = 0; d < draws; d++) {
      const out = jitter.apply(batch(), rng);
      for (let i = 0; i < out.images.length; i++) {
        const delta = (out.images[i] as number) - (reference.images[i] as number);
        meanShift[i % 3] = (meanShift[i % 3] as number) + delta / (out.images.length / 3) / draws;
        if (d === 0 && i < 3) singleShift = Math.max(singleShift, Math.abs(delta));
      }
    }
    expect(singleShift).toBeGreaterThan(1e-4);
    for (const shift of meanShift) expect(Math.abs(shift)).toBeLessThan(singleShift / 5);
  });

  it('PCA components are the eigenvectors of the RGB covariance (orthonormal, non-negative eigenvalues)', () => {
    const { values, vectors } = colorPrincipalComponents(colourShapes);
    for (const value of values) expect(value).toBeGreaterThanOrEqual(-1e-12);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const dot = (vectors[i] as number[]).reduce((s, v, k) => s + v * ((vectors[j] as number[])[k] as number), 0);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
  });

  it('PCA colour jitter fitted to other channels is a one-line error', async () => {
    const grey = generateShapes({ seed: 3, trainSize: 4, testSize: 1, shape: [10, 12, 1] }).train;
    const jitter = pcaColorJitter({ components: colorPrincipalComponents(grey) });
    await expectOneLineError(
      Promise.resolve().then(() => jitter.apply(batch(), new SeededRng(1))),
      'bad-option',
    );
  });

  it('mixup labels sum to 1 and mix at most two classes', () => {
    const out = mixup({ alpha: 0.4 }).apply(batch(), new SeededRng(4));
    for (let i = 0; i < out.count; i++) {
      const row = Array.from(out.labels.subarray(i * out.numClasses, (i + 1) * out.numClasses));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(row.filter((v) => v > 0).length).toBeLessThanOrEqual(2);
    }
  });

  it('cutout blanks one square of at most size x size pixels per image', () => {
    const out = cutout({ size: 4, fill: -1 }).apply(batch(), new SeededRng(8));
    const perImage = out.images.length / out.count;
    for (let i = 0; i < out.count; i++) {
      const blanked = out.images.subarray(i * perImage, (i + 1) * perImage).filter((v) => v === -1).length / 3;
      expect(blanked).toBeGreaterThan(0);
      expect(blanked).toBeLessThanOrEqual(16);
    }
  });

  it('a composed pipeline gives the same images from the same generator state', () => {
    const pipeline = compose([randomCrop({ padding: 2 }), horizontalFlip(), cutout({ size: 3 }), mixup()]);
    const a = pipeline.apply(batch(), new SeededRng(21));
    const b = pipeline.apply(batch(), new SeededRng(21));
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
  });
});
