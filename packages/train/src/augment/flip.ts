import type { ImageShape } from '../data/labeled-images.js';
import { type Augmentation, imageView } from './augmentation.js';

/** Mirrors one NHWC image left–right in place. */
export function flipHorizontal(image: Float32Array, shape: ImageShape): void {
  const [h, w, c] = shape;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w >> 1; x++) {
      const left = (y * w + x) * c;
      const right = (y * w + (w - 1 - x)) * c;
      for (let k = 0; k < c; k++) {
        const t = image[left + k] as number;
        image[left + k] = image[right + k] as number;
        image[right + k] = t;
      }
    }
  }
}

/** Random horizontal flip: each image is mirrored with `probability` (default 0.5). */
export function horizontalFlip(options: { probability?: number } = {}): Augmentation {
  const probability = options.probability ?? 0.5;
  return {
    name: 'flip',
    apply(batch, rng) {
      for (let i = 0; i < batch.count; i++) if (rng.next() < probability) flipHorizontal(imageView(batch, i), batch.shape);
      return batch;
    },
  };
}
