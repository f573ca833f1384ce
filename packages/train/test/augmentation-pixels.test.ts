import { SeededRng } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import { sampleBeta } from '../src/augment/beta.js';
import { cutout } from '../src/augment/cutout.js';
import { horizontalFlip } from '../src/augment/flip.js';
import { mixup } from '../src/augment/mixup.js';
import { randomCrop } from '../src/augment/random-crop.js';
import { randomResizedCrop } from '../src/augment/random-resized-crop.js';
import type { ImageBatch } from '../src/data/image-batch.js';

// Known images: every pixel value is distinct and non-zero, so an augmented image tells which source
// pixel each output pixel came from, and every output pixel is checked against the formula.

function knownBatch(count: number, shape: [number, number, number], numClasses = count): ImageBatch {
  const size = shape[0] * shape[1] * shape[2];
  const images = Float32Array.from({ length: count * size }, (_, i) => (i + 1) / (count * size + 1));
  const labels = new Float32Array(count * numClasses);
  for (let i = 0; i < count; i++) labels[i * numClasses + (i % numClasses)] = 1;
  return { images, labels, count, shape, numClasses };
}

/** Pixel (y, x, k) of image `i`. */
const at = (batch: ImageBatch, i: number, y: number, x: number, k: number) => {
  const [h, w, c] = batch.shape;
  return batch.images[i * h * w * c + (y * w + x) * c + k] as number;
};

/** Every (i, y, x, k) of a batch. */
function* pixels(batch: ImageBatch): Generator<[number, number, number, number]> {
  const [h, w, c] = batch.shape;
  for (let i = 0; i < batch.count; i++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) yield [i, y, x, k];
}

/** The candidates `f(i)` returns for which image i of `out` equals `expected(i, y, x, k)` exactly, per image. */
function matches<T>(
  out: ImageBatch,
  candidates: T[],
  expected: (candidate: T, i: number, y: number, x: number, k: number) => number,
  tolerance = 0,
) {
  const [h, w, c] = out.shape;
  return Array.from({ length: out.count }, (_, i) =>
    candidates.filter((candidate) => {
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          for (let k = 0; k < c; k++) if (Math.abs(at(out, i, y, x, k) - expected(candidate, i, y, x, k)) > tolerance) return false;
      return true;
    }),
  );
}

describe('augmentations, pixel by pixel on a known image', () => {
  it('flip with probability 1 maps (y, x) to (y, w - 1 - x) in every channel', () => {
    const original = knownBatch(2, [3, 5, 2]);
    const out = horizontalFlip({ probability: 1 }).apply(knownBatch(2, [3, 5, 2]), new SeededRng(1));
    for (const [i, y, x, k] of pixels(out)) expect(at(out, i, y, x, k)).toBe(at(original, i, y, 4 - x, k));
  });

  it('flip with probability 0.5 mirrors about half of the images and leaves the rest untouched', () => {
    const original = knownBatch(400, [2, 3, 1], 1);
    const out = horizontalFlip().apply(knownBatch(400, [2, 3, 1], 1), new SeededRng(2));
    const kinds = matches(out, ['same', 'mirrored'] as const, (kind, i, y, x, k) => at(original, i, y, kind === 'same' ? x : 2 - x, k));
    expect(kinds.every((m) => m.length === 1)).toBe(true);
    const mirrored = kinds.filter((m) => m[0] === 'mirrored').length;
    expect(mirrored).toBeGreaterThan(160); // binomial(400, 0.5): 200 +- 10 per sigma
    expect(mirrored).toBeLessThan(240);
  });

  it('crop with padding p shifts each image by one (dy, dx) in [-p, p]^2, fill outside, and uses every shift', () => {
    const padding = 2;
    const original = knownBatch(300, [5, 6, 2], 1);
    const out = randomCrop({ padding, fill: 0 }).apply(knownBatch(300, [5, 6, 2], 1), new SeededRng(3));
    const range = [-3, -2, -1, 0, 1, 2, 3];
    const shifts = range.flatMap((dy) => range.map((dx) => [dy, dx] as const));
    const found = matches(out, shifts, ([dy, dx], i, y, x, k) => {
      const sy = y + dy;
      const sx = x + dx;
      return sy >= 0 && sy < 5 && sx >= 0 && sx < 6 ? at(original, i, sy, sx, k) : 0;
    });
    expect(found.every((m) => m.length === 1)).toBe(true);
    const seen = new Set(found.map((m) => (m[0] as readonly number[]).join(',')));
    expect(seen.size).toBe(25);
    for (const key of seen) for (const v of key.split(',')) expect(Math.abs(Number(v))).toBeLessThanOrEqual(padding);
  });

  it('cutout sets the size x size square around one pixel, clipped at the border, to fill, and nothing else', () => {
    const size = 3;
    const [h, w] = [5, 4];
    const original = knownBatch(500, [h, w, 2], 1);
    const out = cutout({ size, fill: -1 }).apply(knownBatch(500, [h, w, 2], 1), new SeededRng(4));
    const centres = [...Array(h).keys()].flatMap((cy) => [...Array(w).keys()].map((cx) => [cy, cx] as const));
    const inSquare = (c: number, v: number) => v >= c - (size >> 1) && v < c - (size >> 1) + size;
    const found = matches(out, centres, ([cy, cx], i, y, x, k) => (inSquare(cy, y) && inSquare(cx, x) ? -1 : at(original, i, y, x, k)));
    expect(found.every((m) => m.length === 1)).toBe(true);
    expect(new Set(found.map((m) => (m[0] as readonly number[]).join(','))).size).toBe(h * w);
  });

  it('mixup blends images and labels with one lambda and the same partner: x = l x_i + (1 - l) x_j', () => {
    const original = knownBatch(8, [2, 2, 3]);
    const out = mixup({ alpha: 0.4 }).apply(knownBatch(8, [2, 2, 3]), new SeededRng(5));
    const size = 12;
    // one-hot label i per image, so row i of the mixed labels holds lambda at i and 1 - lambda at j
    const lambdas: number[] = [];
    const partners: number[] = [];
    for (let i = 0; i < 8; i++) {
      const row = Array.from(out.labels.subarray(i * 8, (i + 1) * 8));
      const j = row.findIndex((v, c) => c !== i && v > 0);
      partners.push(j < 0 ? i : j);
      lambdas.push(row[i] as number);
    }
    const mixed = partners.filter((j, i) => j !== i);
    expect(mixed.length).toBeGreaterThan(0);
    const lambda = lambdas[partners.findIndex((j, i) => j !== i)] as number;
    expect(lambda).toBeGreaterThan(0);
    expect(lambda).toBeLessThan(1);
    partners.forEach((j, i) => {
      if (j !== i) expect(lambdas[i]).toBeCloseTo(lambda, 6);
      for (let p = 0; p < size; p++) {
        const expected =
          j === i
            ? (original.images[i * size + p] as number)
            : lambda * (original.images[i * size + p] as number) + (1 - lambda) * (original.images[j * size + p] as number);
        expect(out.images[i * size + p]).toBeCloseTo(expected, 6);
      }
    });
    expect(new Set(partners).size).toBe(8); // the partners are a permutation
  });

  it('mixup draws lambda from Beta(a, a): mean 1/2, variance 1 / (4 (2a + 1))', () => {
    const rng = new SeededRng(6);
    const a = 0.4;
    const draws = Array.from({ length: 20000 }, () => sampleBeta(a, a, rng));
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance / (1 / (4 * (2 * a + 1)))).toBeGreaterThan(0.95);
    expect(variance / (1 / (4 * (2 * a + 1)))).toBeLessThan(1.05);
  });

  // Bilinear resampling with pixel centres aligned: output o samples input top + (o + 0.5) * span / out - 0.5.
  const bilinear = (batch: ImageBatch, i: number, sy: number, sx: number, k: number) => {
    const [h, w] = batch.shape;
    const cy = Math.min(Math.max(sy, 0), h - 1);
    const cx = Math.min(Math.max(sx, 0), w - 1);
    const [y0, x0] = [Math.floor(cy), Math.floor(cx)];
    const [y1, x1] = [Math.min(y0 + 1, h - 1), Math.min(x0 + 1, w - 1)];
    const [fy, fx] = [cy - y0, cx - x0];
    const row = (y: number) => at(batch, i, y, x0, k) * (1 - fx) + at(batch, i, y, x1, k) * fx;
    return row(y0) * (1 - fy) + row(y1) * fy;
  };

  it('resized crop of a quarter of the area at aspect 1 is a 4x4 window upsampled bilinearly to 8x8', () => {
    const original = knownBatch(200, [8, 8, 1], 1);
    const out = randomResizedCrop({ scale: [0.25, 0.25], ratio: [1, 1] }).apply(knownBatch(200, [8, 8, 1], 1), new SeededRng(7));
    const corners = [...Array(5).keys()].flatMap((top) => [...Array(5).keys()].map((left) => [top, left] as const));
    const found = matches(
      out,
      corners,
      ([top, left], i, y, x, k) => bilinear(original, i, top + (y + 0.5) / 2 - 0.5, left + (x + 0.5) / 2 - 0.5, k),
      1e-6,
    );
    expect(found.every((m) => m.length === 1)).toBe(true);
    expect(new Set(found.map((m) => (m[0] as readonly number[]).join(','))).size).toBe(25);
  });

  it('resized crop at aspect 2 takes a window twice as wide as tall (width = sqrt(area * ratio))', () => {
    const original = knownBatch(50, [8, 8, 2], 1);
    const out = randomResizedCrop({ scale: [0.5, 0.5], ratio: [2, 2] }).apply(knownBatch(50, [8, 8, 2], 1), new SeededRng(8));
    // area 32 at aspect 2: 8 wide, 4 tall, so columns map 1:1 and rows are stretched twice
    const tops = [0, 1, 2, 3, 4];
    const found = matches(out, tops, (top, i, y, x, k) => bilinear(original, i, top + (y + 0.5) / 2 - 0.5, x, k), 1e-6);
    expect(found.every((m) => m.length === 1)).toBe(true);
  });

  it('resized crop of the whole area at aspect 1 is the identity', () => {
    const out = randomResizedCrop({ scale: [1, 1], ratio: [1, 1] }).apply(knownBatch(3, [6, 6, 3]), new SeededRng(9));
    expect(Array.from(out.images)).toEqual(Array.from(knownBatch(3, [6, 6, 3]).images));
  });
});
