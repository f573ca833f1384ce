import { type AugmentationSpec, ConvkitError, type Registry } from '@convkit/core';
import type { LabeledImages } from '../data/labeled-images.js';
import { type Augmentation, compose } from './augmentation.js';
import { cutout } from './cutout.js';
import { horizontalFlip } from './flip.js';
import { mixup } from './mixup.js';
import { colorPrincipalComponents, pcaColorJitter } from './pca-jitter.js';
import { randomCrop } from './random-crop.js';
import { randomResizedCrop } from './random-resized-crop.js';

/**
 * What the trainer passes to an augmentation spec's `create`: the optional number written after the
 * name in `--augment` (`crop:4`) and the training set, for augmentations fitted to the data.
 */
export interface AugmentationOptions {
  value?: number;
  trainingSet: LabeledImages;
}

type Spec = AugmentationSpec<Augmentation>;

function define(name: string, description: string, create: (options: AugmentationOptions) => Augmentation): Spec {
  return { name, description, create: (options: Record<string, unknown>) => create(options as unknown as AugmentationOptions) };
}

/** The augmentations @convkit/train contributes to the registry; the number after `:` is their main knob. */
export const AUGMENTATIONS: readonly Spec[] = [
  define('crop', 'random crop after zero padding of N pixels (default 4)', (o) => randomCrop({ padding: o.value ?? 4 })),
  define('flip', 'horizontal flip with probability P (default 0.5)', (o) => horizontalFlip({ probability: o.value ?? 0.5 })),
  define('resized-crop', 'random resized crop of at least fraction S of the area (default 0.08)', (o) =>
    randomResizedCrop({ scale: [o.value ?? 0.08, 1] }),
  ),
  define('pca-jitter', "AlexNet's PCA colour augmentation with alpha ~ N(0, S) (default 0.1)", (o) =>
    pcaColorJitter({ components: colorPrincipalComponents(o.trainingSet), std: o.value ?? 0.1 }),
  ),
  define('cutout', 'cutout of an N x N square (default 8)', (o) => cutout({ size: o.value ?? 8 })),
  define('mixup', 'mixup with lambda ~ Beta(A, A) (default 0.2)', (o) => mixup({ alpha: o.value ?? 0.2 })),
];

/**
 * Builds the pipeline described by an `--augment` string such as `crop:4,flip,cutout:8`, from the
 * augmentations registered in `registry` (convkit's and any plugin's). Empty or `none` is no
 * augmentation.
 */
export function parseAugmentations(text: string | undefined, registry: Registry, trainingSet: LabeledImages): Augmentation | undefined {
  if (text === undefined || text.trim() === '' || text.trim() === 'none') return undefined;
  const steps = text.split(',').map((part) => {
    const [name = '', raw] = part.trim().split(':');
    const value = raw === undefined ? undefined : Number(raw);
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new ConvkitError('bad-option', `augmentation "${part.trim()}" has value "${raw}"; expected a non-negative number, e.g. crop:4`);
    }
    const spec = registry.augmentations.get(name).value;
    return spec.create({ ...(value === undefined ? {} : { value }), trainingSet }) as Augmentation;
  });
  return compose(steps);
}
