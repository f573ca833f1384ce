import { type Augmentation, imageView } from './augmentation.js';

/**
 * Random crop with zero padding (the CIFAR recipe of He et al. 2016: pad 4, crop back to 32x32): each
 * image is shifted by a random offset in [-padding, padding] on both axes, and the uncovered border is
 * filled with `fill`. The image size is unchanged.
 */
export function randomCrop(options: { padding?: number; fill?: number } = {}): Augmentation {
  const padding = options.padding ?? 4;
  const fill = options.fill ?? 0;
  return {
    name: 'crop',
    apply(batch, rng) {
      const [h, w, c] = batch.shape;
      const scratch = new Float32Array(h * w * c);
      for (let i = 0; i < batch.count; i++) {
        const image = imageView(batch, i);
        const dy = rng.int(2 * padding + 1) - padding;
        const dx = rng.int(2 * padding + 1) - padding;
        scratch.fill(fill);
        for (let y = 0; y < h; y++) {
          const sy = y + dy;
          if (sy < 0 || sy >= h) continue;
          for (let x = 0; x < w; x++) {
            const sx = x + dx;
            if (sx < 0 || sx >= w) continue;
            for (let k = 0; k < c; k++) scratch[(y * w + x) * c + k] = image[(sy * w + sx) * c + k] as number;
          }
        }
        image.set(scratch);
      }
      return batch;
    },
  };
}
