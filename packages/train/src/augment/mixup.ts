import type { Augmentation } from './augmentation.js';
import { sampleBeta } from './beta.js';

/**
 * mixup (Zhang et al. 2018): the batch is blended with a shuffled copy of itself,
 * `x = lambda * x_i + (1 - lambda) * x_j`, labels likewise, with one `lambda ~ Beta(alpha, alpha)` per
 * batch. Each mixed label row still sums to 1.
 */
export function mixup(options: { alpha?: number } = {}): Augmentation {
  const alpha = options.alpha ?? 0.2;
  return {
    name: 'mixup',
    apply(batch, rng) {
      const lambda = sampleBeta(alpha, alpha, rng);
      const partner = rng.shuffle(Array.from({ length: batch.count }, (_, i) => i));
      const size = batch.images.length / batch.count;
      const k = batch.numClasses;
      const images = new Float32Array(batch.images.length);
      const labels = new Float32Array(batch.labels.length);
      for (let i = 0; i < batch.count; i++) {
        const j = partner[i] as number;
        for (let p = 0; p < size; p++) {
          images[i * size + p] = lambda * (batch.images[i * size + p] as number) + (1 - lambda) * (batch.images[j * size + p] as number);
        }
        for (let p = 0; p < k; p++) {
          labels[i * k + p] = lambda * (batch.labels[i * k + p] as number) + (1 - lambda) * (batch.labels[j * k + p] as number);
        }
      }
      return { ...batch, images, labels };
    },
  };
}
