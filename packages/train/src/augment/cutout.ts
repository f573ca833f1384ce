import { type Augmentation, imageView } from './augmentation.js';

/**
 * Cutout (DeVries & Taylor 2017): one `size` x `size` square per image, centred at a uniformly random
 * pixel and clipped at the border, is set to `fill`.
 */
export function cutout(options: { size?: number; fill?: number } = {}): Augmentation {
  const size = options.size ?? 8;
  const fill = options.fill ?? 0;
  return {
    name: 'cutout',
    apply(batch, rng) {
      const [h, w, c] = batch.shape;
      for (let i = 0; i < batch.count; i++) {
        const image = imageView(batch, i);
        const cy = rng.int(h);
        const cx = rng.int(w);
        const top = Math.max(0, cy - (size >> 1));
        const left = Math.max(0, cx - (size >> 1));
        const bottom = Math.min(h, cy - (size >> 1) + size);
        const right = Math.min(w, cx - (size >> 1) + size);
        for (let y = top; y < bottom; y++) image.fill(fill, (y * w + left) * c, (y * w + right) * c);
      }
      return batch;
    },
  };
}
