import { SeededRng } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import { randomResizedCrop } from '../src/augment/random-resized-crop.js';
import type { ImageBatch } from '../src/data/image-batch.js';

// Which windows the resized crop takes: one of at least 1x1 pixel that lies inside the image, the
// edges included. With scale [s, s] and ratio [r, r] every attempt proposes the same window, so a
// window is either taken at once (4 numbers drawn: area, aspect, top, left) or refused ten times and
// the whole image kept (20 numbers drawn).

/** One `h` x `w` single-channel image whose pixel values are all distinct. */
function knownImage(h: number, w: number): ImageBatch {
  const images = Float32Array.from({ length: h * w }, (_, i) => (i + 1) / (h * w + 1));
  return { images, labels: new Float32Array(1), count: 1, shape: [h, w, 1], numClasses: 1 };
}

/**
 * The `height` x `width` window at (`top`, `left`) of `image` resized to the image's size as
 * tf.image.resizeBilinear does with half-pixel centres, sample positions clamped to the image.
 */
function resampled(image: ImageBatch, win: { top: number; left: number; height: number; width: number }): number[] {
  const [h, w] = image.shape;
  const pixel = (y: number, x: number) => image.images[y * w + x] as number;
  const sample = (start: number, span: number, size: number, o: number) => {
    const s = Math.min(Math.max(start + ((o + 0.5) * span) / size - 0.5, 0), size - 1);
    const lo = Math.floor(s);
    return { lo, hi: Math.min(lo + 1, size - 1), f: s - lo };
  };
  return Array.from({ length: h * w }, (_, p) => {
    const r = sample(win.top, win.height, h, Math.floor(p / w));
    const c = sample(win.left, win.width, w, p % w);
    const row = (y: number) => pixel(y, c.lo) * (1 - c.f) + pixel(y, c.hi) * c.f;
    return row(r.lo) * (1 - r.f) + row(r.hi) * r.f;
  });
}

describe('the resized crop window', () => {
  // [image h, w, scale, ratio, the window's width = round(sqrt(area r)), height = round(sqrt(area / r))]
  it.each([
    [4, 6, 0.5, 3, 6, 2, 'as wide as the image'],
    [6, 4, 0.5, 1 / 3, 2, 6, 'as tall as the image'],
    [4, 4, 1 / 16, 1, 1, 1, 'the smallest'],
  ])('on %dx%d, scale %d at ratio %d takes the %dx%d window (%s) at once', (h, w, scale, ratio, width, height) => {
    const source = knownImage(h, w);
    const rng = new SeededRng(5);
    const out = randomResizedCrop({ scale: [scale, scale], ratio: [ratio, ratio] }).apply(knownImage(h, w), rng);
    const probe = new SeededRng(5);
    probe.next();
    probe.next();
    const top = probe.int(h - height + 1);
    const left = probe.int(w - width + 1);
    const expected = resampled(source, { top, left, height, width });
    expect([...out.images].map((v) => v.toFixed(6))).toEqual(expected.map((v) => v.toFixed(6)));
    expect(out.images).not.toEqual(source.images);
    expect(rng.next()).toBe(probe.next());
  });

  it.each([
    [4, 4, 0.01, 1 / 4, '0x1: no width'],
    [4, 4, 0.01, 4, '1x0: no height'],
    [4, 6, 14 / 24, 3.5, '7x2: a column wider than the image'],
    [6, 4, 14 / 24, 2 / 7, '2x7: a row taller than the image'],
  ])('on %dx%d, scale %d at ratio %d refuses the %s window ten times and keeps the whole image', (h, w, scale, ratio) => {
    const source = knownImage(h, w);
    const rng = new SeededRng(5);
    const out = randomResizedCrop({ scale: [scale, scale], ratio: [ratio, ratio] }).apply(knownImage(h, w), rng);
    expect([...out.images]).toEqual([...source.images]);
    const probe = new SeededRng(5);
    for (let i = 0; i < 20; i++) probe.next();
    expect(rng.next()).toBe(probe.next());
  });

  it("defaults to torchvision's scale (0.08, 1) and ratio (3/4, 4/3)", () => {
    const batch = () => ({
      ...knownImage(8, 8),
      images: Float32Array.from({ length: 20 * 64 }, (_, i) => (i + 1) / 1281),
      count: 20,
      labels: new Float32Array(20),
    });
    const byDefault = randomResizedCrop().apply(batch(), new SeededRng(12));
    const explicit = randomResizedCrop({ scale: [0.08, 1], ratio: [3 / 4, 4 / 3] }).apply(batch(), new SeededRng(12));
    expect([...byDefault.images]).toEqual([...explicit.images]);
    expect(byDefault.images).not.toEqual(batch().images);
  });
});
