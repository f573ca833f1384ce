import { bilinearTaps } from './bilinear.js';
import type { ImageBatch } from './image-batch.js';

/**
 * `batch` resampled bilinearly to `height` x `width` (pixel centres aligned, as
 * tf.image.resizeBilinear with halfPixelCenters), or `batch` itself when it already has that size.
 * Done on the float batch in JavaScript, so every engine and backend trains on the same values.
 */
export function resizeBatch(batch: ImageBatch, height: number, width: number): ImageBatch {
  const [h, w, c] = batch.shape;
  if (h === height && w === width) return batch;
  const rows = bilinearTaps(height, h);
  const cols = bilinearTaps(width, w);
  const source = batch.images;
  const images = new Float32Array(batch.count * height * width * c);
  let target = 0;
  for (let n = 0; n < batch.count; n++) {
    const image = n * h * w * c;
    for (let y = 0; y < height; y++) {
      const top = image + (rows.lo[y] as number) * w * c;
      const bottom = image + (rows.hi[y] as number) * w * c;
      const fy = rows.frac[y] as number;
      for (let x = 0; x < width; x++) {
        const left = (cols.lo[x] as number) * c;
        const right = (cols.hi[x] as number) * c;
        const fx = cols.frac[x] as number;
        for (let k = 0; k < c; k++) {
          const upper = (source[top + left + k] as number) * (1 - fx) + (source[top + right + k] as number) * fx;
          const lower = (source[bottom + left + k] as number) * (1 - fx) + (source[bottom + right + k] as number) * fx;
          images[target++] = upper * (1 - fy) + lower * fy;
        }
      }
    }
  }
  return { ...batch, images, shape: [height, width, c] };
}
