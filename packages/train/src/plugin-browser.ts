import { type DatasetSpec, definePlugin } from '@convkit/core';
import { AUGMENTATIONS } from './augment/augmentation-specs.js';
import type { DatasetSplits } from './data/labeled-images.js';
import { generateShapes } from './data/shapes.js';
import { crossEntropySpec } from './objectives/cross-entropy-objective.js';

type ShapesOptions = { seed?: number; trainSize?: number; testSize?: number };

/** The embedded `shapes` dataset as the registry lists it: generated from the seed, nothing to read. */
export const SHAPES_DATASET: DatasetSpec<DatasetSplits> = {
  name: 'shapes',
  description: 'synthetic drawn shapes, 10 classes, 28x28x1, generated from the seed (no download)',
  open: async (o: ShapesOptions) =>
    generateShapes({
      seed: o.seed ?? 0,
      ...(o.trainSize ? { trainSize: o.trainSize } : {}),
      ...(o.testSize ? { testSize: o.testSize } : {}),
    }),
};

/**
 * What @convkit/train contributes to the registry in a web page (its `browser` entry's `plugin`):
 * the `shapes` dataset, every augmentation and the cross-entropy objective. The file-backed datasets
 * (IDX, CIFAR, image folders) and distillation (its teacher is a model folder) need Node and are only
 * in the Node entry's plugin, which has the same name.
 */
export const plugin = definePlugin({
  name: '@convkit/train',
  datasets: [SHAPES_DATASET as DatasetSpec],
  augmentations: [...AUGMENTATIONS],
  objectives: [crossEntropySpec],
});
