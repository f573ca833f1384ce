import { ConvkitError } from '@convkit/core';
import type { LabeledImages } from '../data/labeled-images.js';
import { type Augmentation, imageView } from './augmentation.js';
import { type EigenDecomposition, symmetricEigen } from './symmetric-eigen.js';

/**
 * Principal components of a training set's pixel colours: the eigen-decomposition of the covariance
 * of (R, G, B) over every pixel of every image, in [0, 1] units (float64 accumulation over the uint8
 * storage).
 */
export function colorPrincipalComponents(data: LabeledImages): EigenDecomposition {
  const c = data.shape[2];
  const mean = new Float64Array(c);
  const products = new Float64Array(c * c);
  const images = data.images;
  const pixels = images.length / c;
  for (let p = 0; p < pixels; p++) {
    for (let i = 0; i < c; i++) {
      const vi = (images[p * c + i] as number) / 255;
      mean[i] = (mean[i] as number) + vi;
      for (let j = i; j < c; j++) products[i * c + j] = (products[i * c + j] as number) + vi * ((images[p * c + j] as number) / 255);
    }
  }
  const covariance = Array.from({ length: c }, (_, i) =>
    Array.from({ length: c }, (_, j) => {
      const [lo, hi] = i <= j ? [i, j] : [j, i];
      return (products[lo * c + hi] as number) / pixels - ((mean[i] as number) / pixels) * ((mean[j] as number) / pixels);
    }),
  );
  return symmetricEigen(covariance);
}

/**
 * AlexNet's PCA colour augmentation (Krizhevsky et al. 2012, section 4.1): to every pixel of an
 * image add `sum_i alpha_i * lambda_i * p_i`, where `p_i, lambda_i` are the principal components of
 * the training set's colours and `alpha_i ~ N(0, std)` is drawn once per image (std 0.1 in the paper).
 * As alpha has zero mean, the mean colour is unchanged in expectation.
 */
export function pcaColorJitter(options: { components: EigenDecomposition; std?: number }): Augmentation {
  const { values, vectors } = options.components;
  const std = options.std ?? 0.1;
  return {
    name: 'pca-jitter',
    apply(batch, rng) {
      const c = batch.shape[2];
      if (c !== values.length) {
        throw new ConvkitError(
          'bad-option',
          `pca-jitter components are for ${values.length} channels but images have ${c}; compute them with colorPrincipalComponents on the training set of these images`,
        );
      }
      const shift = new Float64Array(c);
      for (let i = 0; i < batch.count; i++) {
        shift.fill(0);
        for (let k = 0; k < c; k++) {
          const weight = rng.normal(0, std) * Math.max(values[k] as number, 0);
          const vector = vectors[k] as number[];
          for (let j = 0; j < c; j++) shift[j] = (shift[j] as number) + weight * (vector[j] as number);
        }
        const image = imageView(batch, i);
        for (let p = 0; p < image.length; p++) image[p] = (image[p] as number) + (shift[p % c] as number);
      }
      return batch;
    },
  };
}
