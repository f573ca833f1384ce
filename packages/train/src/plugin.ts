import { type DatasetSpec, definePlugin } from '@convkit/core';
import { AUGMENTATIONS } from './augment/augmentation-specs.js';
import { CIFAR10, CIFAR100, openCifarFolder } from './data/cifar.js';
import { FASHION_MNIST, MNIST, openIdxDataset } from './data/idx-datasets.js';
import type { DatasetSplits } from './data/labeled-images.js';
import { OBJECTIVES } from './objectives/objectives.js';
import { SHAPES_DATASET } from './plugin-browser.js';

type Options = { path?: string };

const DATASETS: DatasetSpec<DatasetSplits>[] = [
  SHAPES_DATASET,
  {
    name: 'fashion-mnist',
    description: "Zalando's Fashion-MNIST, 60k/10k 28x28x1 (Debian dataset-fashion-mnist or `convkit data download`)",
    open: (o: Options) => openIdxDataset(FASHION_MNIST, o.path),
  },
  {
    name: 'mnist',
    description: 'MNIST handwritten digits, 60k/10k 28x28x1 (`convkit data download mnist`)',
    open: (o: Options) => openIdxDataset(MNIST, o.path),
  },
  {
    name: 'cifar10',
    description: 'CIFAR-10 binary, 50k/10k 32x32x3, from ./data/cifar-10-batches-bin (`convkit data download cifar10`)',
    open: (o: Options) => openCifarFolder(o.path ?? 'data/cifar-10-batches-bin', CIFAR10),
  },
  {
    name: 'cifar100',
    description: 'CIFAR-100 binary (fine labels), 50k/10k 32x32x3, from ./data/cifar-100-binary',
    open: (o: Options) => openCifarFolder(o.path ?? 'data/cifar-100-binary', CIFAR100),
  },
];

/**
 * What @convkit/train contributes to the registry: its datasets (`shapes`, `fashion-mnist`, `mnist`,
 * `cifar10`, `cifar100`) and augmentations (`crop`, `flip`, `resized-crop`, `pca-jitter`, `cutout`,
 * `mixup`) and objectives (`cross-entropy`, `distillation`). `train` and `evaluate` use it themselves; the CLI gets it through the oclif hook.
 */
export const plugin = definePlugin({
  name: '@convkit/train',
  datasets: DATASETS as DatasetSpec[],
  augmentations: [...AUGMENTATIONS],
  objectives: [...OBJECTIVES],
});
