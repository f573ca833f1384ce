import { ConvkitError } from '@convkit/core';

/** Height, width and channels of one image (NHWC without the batch axis). */
export type ImageShape = [number, number, number];

/**
 * A set of labelled images stored as uint8 pixels (NHWC, row-major) and integer labels. This is the
 * only form a dataset is held in: float32 exists per batch only, so a 60,000-image set costs 47 MB,
 * not 188 MB.
 */
export class LabeledImages {
  /** Number of pixels values per image (`h * w * c`). */
  readonly imageSize: number;

  /**
   * @param images uint8 pixels of every image, `size * h * w * c` values.
   * @param labels class index of every image.
   * @param shape image shape shared by every image.
   * @param classNames one name per class; its length is the number of classes.
   */
  constructor(
    readonly images: Uint8Array,
    readonly labels: Uint16Array,
    readonly shape: ImageShape,
    readonly classNames: readonly string[],
  ) {
    this.imageSize = shape[0] * shape[1] * shape[2];
    if (images.length !== labels.length * this.imageSize) {
      throw new ConvkitError(
        'dataset-size-mismatch',
        `dataset has ${labels.length} labels but ${images.length / this.imageSize} images of ${shape.join('x')}; each image needs exactly one label`,
      );
    }
    for (const label of labels) {
      if (label >= classNames.length) {
        throw new ConvkitError(
          'bad-label',
          `label ${label} is out of range for ${classNames.length} classes; the label file does not match the dataset`,
        );
      }
    }
  }

  /** Number of images. */
  get size(): number {
    return this.labels.length;
  }

  /** Number of classes. */
  get numClasses(): number {
    return this.classNames.length;
  }

  /** The pixels of image `index` (a view, not a copy). */
  pixels(index: number): Uint8Array {
    return this.images.subarray(index * this.imageSize, (index + 1) * this.imageSize);
  }

  /** A new set holding the images at `indices`, in that order. */
  subset(indices: ArrayLike<number>): LabeledImages {
    const images = new Uint8Array(indices.length * this.imageSize);
    const labels = new Uint16Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const source = indices[i] as number;
      images.set(this.pixels(source), i * this.imageSize);
      labels[i] = this.labels[source] as number;
    }
    return new LabeledImages(images, labels, this.shape, this.classNames);
  }
}

/** A dataset as training needs it: a name, a training set and a held-out test set. */
export interface DatasetSplits {
  /** Dataset name, e.g. `fashion-mnist` or the folder it was read from. */
  name: string;
  /** Training images. */
  train: LabeledImages;
  /** Test images (never used for training or model selection). */
  test: LabeledImages;
  /** Where the images came from: the folder read, or how they were generated. */
  source?: string;
}
