import type { SeededRng } from '@convkit/core';
import { bilinearTaps } from '../data/bilinear.js';
import { type Augmentation, imageView } from './augmentation.js';

/** A crop window in pixels. */
interface Window {
  top: number;
  left: number;
  height: number;
  width: number;
}

// Inception-style sampling: area fraction uniform in `scale`, log-aspect uniform in `ratio`; after
// ten misses it falls back to the whole image, as torchvision's RandomResizedCrop does.
function sampleWindow(h: number, w: number, scale: [number, number], ratio: [number, number], rng: SeededRng): Window {
  for (let attempt = 0; attempt < 10; attempt++) {
    const area = h * w * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(Math.log(ratio[0]), Math.log(ratio[1])));
    const width = Math.round(Math.sqrt(area * aspect));
    const height = Math.round(Math.sqrt(area / aspect));
    if (width > 0 && height > 0 && width <= w && height <= h) {
      return { top: rng.int(h - height + 1), left: rng.int(w - width + 1), height, width };
    }
  }
  return { top: 0, left: 0, height: h, width: w };
}

/**
 * Random resized crop (Szegedy et al. 2015, "Going deeper with convolutions"): a random window
 * covering `scale` of the area with aspect ratio in `ratio` is cut out and resized bilinearly back to
 * the image size.
 */
export function randomResizedCrop(options: { scale?: [number, number]; ratio?: [number, number] } = {}): Augmentation {
  const scale = options.scale ?? [0.08, 1];
  const ratio = options.ratio ?? [3 / 4, 4 / 3];
  return {
    name: 'resized-crop',
    apply(batch, rng) {
      const [h, w, c] = batch.shape;
      const scratch = new Float32Array(h * w * c);
      for (let i = 0; i < batch.count; i++) {
        const image = imageView(batch, i);
        const win = sampleWindow(h, w, scale, ratio, rng);
        const rows = bilinearTaps(h, h, win.top, win.height);
        const cols = bilinearTaps(w, w, win.left, win.width);
        for (let y = 0; y < h; y++) {
          const y0 = rows.lo[y] as number;
          const y1 = rows.hi[y] as number;
          const fy = rows.frac[y] as number;
          for (let x = 0; x < w; x++) {
            const x0 = cols.lo[x] as number;
            const x1 = cols.hi[x] as number;
            const fx = cols.frac[x] as number;
            for (let k = 0; k < c; k++) {
              const at = (yy: number, xx: number) => image[(yy * w + xx) * c + k] as number;
              const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
              const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
              scratch[(y * w + x) * c + k] = top * (1 - fy) + bottom * fy;
            }
          }
        }
        image.set(scratch);
      }
      return batch;
    },
  };
}
