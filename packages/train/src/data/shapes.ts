import { SeededRng } from '@convkit/core';
import { type DatasetSplits, type ImageShape, LabeledImages } from './labeled-images.js';

/**
 * Inside-tests of the ten shape classes, in coordinates relative to the shape's centre and scaled by
 * its radius (so |u|, |v| <= 1 is the shape's bounding box).
 */
const SHAPES: readonly { name: string; inside: (u: number, v: number) => boolean }[] = [
  { name: 'circle', inside: (u, v) => u * u + v * v <= 1 },
  { name: 'square', inside: (u, v) => Math.max(Math.abs(u), Math.abs(v)) <= 0.8 },
  { name: 'triangle', inside: (u, v) => v <= 0.8 && v >= -1 && Math.abs(u) <= (v + 1) * 0.55 },
  { name: 'plus', inside: (u, v) => (Math.abs(u) <= 0.25 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.25 && Math.abs(u) <= 1) },
  { name: 'ring', inside: (u, v) => u * u + v * v <= 1 && u * u + v * v >= 0.45 },
  { name: 'frame', inside: (u, v) => Math.max(Math.abs(u), Math.abs(v)) <= 0.85 && Math.max(Math.abs(u), Math.abs(v)) >= 0.55 },
  { name: 'diamond', inside: (u, v) => Math.abs(u) + Math.abs(v) <= 1 },
  { name: 'x', inside: (u, v) => Math.max(Math.abs(u), Math.abs(v)) <= 0.9 && Math.min(Math.abs(u - v), Math.abs(u + v)) <= 0.3 },
  { name: 'bar', inside: (u, v) => Math.abs(v) <= 0.3 && Math.abs(u) <= 1 },
  { name: 'half-disc', inside: (u, v) => u * u + v * v <= 1 && v >= 0 },
];

/** Class names of the `shapes` dataset, in label order. */
export const SHAPE_CLASSES: readonly string[] = SHAPES.map((s) => s.name);

/** Options of the synthetic `shapes` dataset. */
export interface ShapesOptions {
  /** Seed of the generator; the same seed gives the same images. Default 0. */
  seed?: number;
  /** Training images. Default 6000. */
  trainSize?: number;
  /** Test images. Default 1000. */
  testSize?: number;
  /** Image shape; channels 1 (grey) or 3 (random colours). Default 28x28x1. */
  shape?: ImageShape;
}

// 2x2 supersampling gives anti-aliased edges, so small shapes keep their identity.
const SUBSAMPLES = [0.25, 0.75];

function drawShapes(count: number, shape: ImageShape, rng: SeededRng, coverageOut?: Float32Array): LabeledImages {
  const [h, w, c] = shape;
  const images = new Uint8Array(count * h * w * c);
  const labels = new Uint16Array(count);
  const side = Math.min(h, w);
  for (let n = 0; n < count; n++) {
    const label = rng.int(SHAPES.length);
    const inside = (SHAPES[label] as (typeof SHAPES)[number]).inside;
    const radius = rng.uniform(0.22, 0.42) * side;
    const cx = rng.uniform(radius, w - radius);
    const cy = rng.uniform(radius, h - radius);
    const background = Array.from({ length: c }, () => rng.uniform(0, 0.35));
    const foreground = Array.from({ length: c }, () => rng.uniform(0.6, 1));
    const noise = rng.uniform(0.02, 0.08);
    const base = n * h * w * c;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let coverage = 0;
        for (const sy of SUBSAMPLES) {
          for (const sx of SUBSAMPLES) if (inside((x + sx - cx) / radius, (y + sy - cy) / radius)) coverage += 0.25;
        }
        if (coverageOut) coverageOut[n * h * w + y * w + x] = coverage;
        for (let k = 0; k < c; k++) {
          const value =
            (background[k] as number) + coverage * ((foreground[k] as number) - (background[k] as number)) + rng.normal(0, noise);
          images[base + (y * w + x) * c + k] = Math.round(255 * Math.min(1, Math.max(0, value)));
        }
      }
    }
    labels[n] = label;
  }
  return new LabeledImages(images, labels, shape, SHAPE_CLASSES);
}

/**
 * `shapes`: a synthetic, seeded dataset of ten drawn shapes (circle, square, triangle, plus, ring,
 * frame, diamond, x, bar, half-disc) at random positions, sizes and intensities with pixel noise.
 * It needs no download, is the embedded default, and LeNet-5 learns it to high accuracy in a few
 * epochs. Train and test sets come from independent streams of the same seed.
 */
export function generateShapes(options: ShapesOptions = {}): DatasetSplits {
  const seed = options.seed ?? 0;
  const shape = options.shape ?? [28, 28, 1];
  return {
    name: 'shapes',
    source: `generated from seed ${seed}`,
    train: drawShapes(options.trainSize ?? 6000, shape, splitRng(seed, 'train')),
    test: drawShapes(options.testSize ?? 1000, shape, splitRng(seed, 'test')),
  };
}

// A different seed stream keeps test images out of the training set's sequence.
function splitRng(seed: number, split: 'train' | 'test'): SeededRng {
  return new SeededRng(split === 'train' ? seed : seed ^ 0x5eed7e57);
}

/**
 * Where `generateShapes(options)` drew its shapes in one split: per image, per pixel, the fraction
 * of the pixel the shape covers (0 to 1, `count x h x w`), for tests of what a model looks at.
 */
export function shapeCoverage(options: ShapesOptions, split: 'train' | 'test'): Float32Array {
  const shape = options.shape ?? [28, 28, 1];
  const count = split === 'train' ? (options.trainSize ?? 6000) : (options.testSize ?? 1000);
  const coverage = new Float32Array(count * shape[0] * shape[1]);
  drawShapes(count, shape, splitRng(options.seed ?? 0, split), coverage);
  return coverage;
}
