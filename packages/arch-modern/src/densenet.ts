import { architectureOptions, type BaseArchitectureOptions, defineArchitecture, type ReferenceFigures } from '@convkit/core';
import {
  activation,
  batchNorm,
  classifierHead,
  convBnAct,
  denseBlock,
  denseTransition,
  MaxPool2d,
  requireInputAtLeast,
  scaleWidth,
  widthMultiplierOption,
} from '@convkit/layers';
import { input, type LayersModel, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { MODERN_INIT } from './conventions.js';

/**
 * Table 1 of the DenseNet paper (and torchvision's `_densenet` calls): the growth rate `k`, the
 * dense layers of each of the four blocks (`block_config`) and the stem's output channels. Every
 * layer is DenseNet-B's BN-ReLU-1x1 (4k) - BN-ReLU-3x3 (k); every transition halves the channels
 * (DenseNet-C's compression 0.5) and the map.
 */
// biome-ignore format: one row per network, as in the paper's Table 1
const DENSENET_CONFIGS = {
  densenet121: { growthRate: 32, blockConfig: [6, 12, 24, 16], initFeatures: 64 },
  densenet169: { growthRate: 32, blockConfig: [6, 12, 32, 32], initFeatures: 64 },
  densenet201: { growthRate: 32, blockConfig: [6, 12, 48, 32], initFeatures: 64 },
  densenet161: { growthRate: 48, blockConfig: [6, 12, 36, 24], initFeatures: 96 },
} as const;

/** An ImageNet DenseNet: the name of a {@link DENSENET_CONFIGS} row. */
export type DenseNetDepth = keyof typeof DENSENET_CONFIGS;

/** DenseNet-B's bottleneck width, `4k` (torchvision's `bn_size`). */
const BOTTLENECK_WIDTH = 4;
/** DenseNet-C's compression `theta`: each transition keeps this fraction of the channels (rounded down). */
const COMPRESSION = 0.5;

/** torchvision 0.14's figures (ImageNet, 224x224); the parameter counts are test/fixtures/torchvision_dense_mobile_counts.py's. */
const DENSENET_REFERENCE: Record<DenseNetDepth, ReferenceFigures> = {
  densenet121: { params: 7_978_856, macs: 2.83e9, top1: 74.434 },
  densenet169: { params: 14_149_480, macs: 3.36e9, top1: 75.6 },
  densenet201: { params: 20_013_928, macs: 4.29e9, top1: 76.896 },
  densenet161: { params: 28_681_000, macs: 7.73e9, top1: 77.138 },
};

const DENSENET_PAPER = { title: 'Densely Connected Convolutional Networks', year: 2017, url: 'https://arxiv.org/abs/1608.06993' };

/** The stem (stride 2 and a 3x3/2 pool) and three transitions divide the size by 32. */
const DENSENET_MIN_INPUT = 32;
/** The CIFAR form's two transitions divide it by 4. */
const DENSENET_CIFAR_MIN_INPUT = 4;

const densenetOptions = architectureOptions(
  { numClasses: 1000, inputShape: [224, 224, 3] },
  {
    /** Drop rate after each dense layer's 3x3 convolution (torchvision's `drop_rate`, 0 in its models). */
    dropRate: z.number().min(0).lt(1).default(0),
    /** Scales the growth rate and the stem's channels (each rounded, at least 1). */
    widthMultiplier: widthMultiplierOption,
  },
);

/** Options of the ImageNet DenseNets (`densenet121`, ...). */
export type DenseNetOptions = BaseArchitectureOptions & z.output<typeof densenetOptions>;

/** The structure {@link buildDenseNet} walks: a {@link DENSENET_CONFIGS} row, or the CIFAR DenseNet-BC's. */
export interface DenseNetVariant {
  name: string;
  growthRate: number;
  blockConfig: readonly number[];
  /** Channels of the stem convolution. */
  initFeatures: number;
  /**
   * `imagenet`: torchvision's `features.conv0` 7x7/2, `norm0`, `relu0`, `pool0` 3x3/2 and four blocks,
   * named by torchvision's module paths; `cifar`: the paper's 3x3 convolution on 32x32 inputs and
   * three blocks, named `conv1`, `block<b>.layer<i>`, `transition<b>`.
   */
  form: 'imagenet' | 'cifar';
}

/** Builds a DenseNet-BC: the stem, dense blocks with transitions between them, BN-ReLU, global pool, classifier. */
export function buildDenseNet(variant: DenseNetVariant, options: DenseNetOptions): LayersModel {
  const imagenet = variant.form === 'imagenet';
  const blocks = variant.blockConfig.length;
  requireInputAtLeast(
    variant.name,
    options.inputShape,
    imagenet ? DENSENET_MIN_INPUT : DENSENET_CIFAR_MIN_INPUT,
    imagenet ? 'a stride-2 stem, a 3x3/2 max pool and three 2x2/2 transitions' : `${blocks - 1} 2x2/2 transitions`,
  );
  const growthRate = scaleWidth(variant.growthRate, options.widthMultiplier);
  const image = input({ name: 'input', shape: options.inputShape });
  const features = imagenet ? 'features.' : '';
  let y: SymbolicTensor;
  if (imagenet) {
    y = convBnAct('features', {
      filters: scaleWidth(variant.initFeatures, options.widthMultiplier),
      kernelSize: 7,
      strides: 2,
      kernelInitializer: MODERN_INIT.conv,
      names: { conv: 'features.conv0', norm: 'features.norm0', act: 'features.relu0' },
    })(image);
    y = new MaxPool2d({ name: 'features.pool0', kernelSize: 3, strides: 2, padding: 1 }).apply(y) as SymbolicTensor;
  } else {
    // The paper's CIFAR stem: one 3x3 convolution to 2k channels, no norm or pool after it (BN-ReLU opens each layer).
    y = convBnAct('conv1', {
      filters: 2 * growthRate,
      kernelSize: 3,
      norm: false,
      activation: null,
      useBias: false,
      names: { conv: 'conv1' },
    })(image);
  }
  variant.blockConfig.forEach((layers, b) => {
    const block = imagenet ? `features.denseblock${b + 1}` : `block${b + 1}`;
    y = denseBlock(block, {
      layers,
      growthRate,
      bottleneckWidth: BOTTLENECK_WIDTH,
      dropRate: options.dropRate,
      kernelInitializer: MODERN_INIT.conv,
      ...(imagenet ? {} : { layerName: (i: number) => `layer${i}` }),
    })(y);
    if (b < blocks - 1) {
      const channels = y.shape[3] as number;
      y = denseTransition(`${features}transition${b + 1}`, {
        filters: Math.floor(channels * COMPRESSION),
        kernelInitializer: MODERN_INIT.conv,
      })(y);
    }
  });
  // torchvision's final norm is a module (`features.norm5`); its ReLU is functional, here `relu`.
  y = batchNorm({ name: imagenet ? 'features.norm5' : 'norm' }).apply(y) as SymbolicTensor;
  y = activation('relu', 'relu').apply(y) as SymbolicTensor;
  const logits = classifierHead(y, {
    globalPool: 'avgpool',
    logitsName: 'classifier',
    numClasses: options.numClasses,
    kernelInitializer: MODERN_INIT.dense,
  });
  return model({ name: variant.name, inputs: image, outputs: logits });
}

/** The registered ImageNet DenseNet of `depth`. */
function imagenetDenseNet(depth: DenseNetDepth) {
  const config = DENSENET_CONFIGS[depth];
  const layers = 2 * config.blockConfig.reduce((a, n) => a + n, 0) + 5;
  return defineArchitecture<DenseNetOptions>({
    name: depth,
    family: 'densenet',
    tags: ['imagenet', 'torchvision'],
    description: `DenseNet-${layers} (k = ${config.growthRate}, blocks ${config.blockConfig.join('/')}): DenseNet-BC in torchvision's layout`,
    paper: DENSENET_PAPER,
    defaultInput: [224, 224, 3],
    reference: { ...DENSENET_REFERENCE[depth], source: 'torchvision 0.14 model docs (ImageNet-1k, 224x224)' },
    options: densenetOptions,
    build: (options) => buildDenseNet({ name: depth, ...config, form: 'imagenet' }, options),
  });
}

/**
 * The paper's CIFAR DenseNet-BC with `L = 100`, `k = 12` (section 3, "Implementation Details"):
 * a 3x3 convolution to 2k = 24 channels, three dense blocks of (L - 4) / 6 = 16 bottleneck layers on
 * 32x32, 16x16 and 8x8 maps, transitions with compression 0.5.
 */
const DENSENET_BC_100 = { growthRate: 12, blockConfig: [16, 16, 16], initFeatures: 24 } as const;

const densenetCifarOptions = architectureOptions(
  { numClasses: 10, inputShape: [32, 32, 3] },
  {
    /** The paper trains the CIFAR networks without augmentation with dropout 0.2; with augmentation, none (the default). */
    dropRate: z.number().min(0).lt(1).default(0),
    widthMultiplier: widthMultiplierOption,
  },
);

/**
 * DenseNet-121 (Huang et al., "Densely Connected Convolutional Networks", CVPR 2017, Table 1), in
 * torchvision's form and names (`features.denseblock1.denselayer1.conv1`, `features.transition1.conv`,
 * `classifier`). Default input 224x224x3, 1000 classes; any input from 32x32 pools globally.
 * Figures (torchvision): 7,978,856 parameters, 2.83 G MACs, 74.43% top-1.
 */
export const densenet121 = imagenetDenseNet('densenet121');
/** DenseNet-169 (blocks 6/12/32/32, k = 32), torchvision's form: 14,149,480 parameters, 3.36 G MACs, 75.60% top-1 at 224x224. */
export const densenet169 = imagenetDenseNet('densenet169');
/** DenseNet-201 (blocks 6/12/48/32, k = 32), torchvision's form: 20,013,928 parameters, 4.29 G MACs, 76.90% top-1 at 224x224. */
export const densenet201 = imagenetDenseNet('densenet201');
/** DenseNet-161 (blocks 6/12/36/24, k = 48, 96 stem channels), torchvision's form: 28,681,000 parameters, 7.73 G MACs, 77.14% top-1 at 224x224. */
export const densenet161 = imagenetDenseNet('densenet161');

/**
 * DenseNet-BC-100 with k = 12 for CIFAR (Huang et al. 2017, Table 2): default input 32x32x3, 10
 * classes; 769,162 parameters (the paper's 0.8M), 4.51% CIFAR-10 error with augmentation.
 */
export const densenetBc100 = defineArchitecture<DenseNetOptions>({
  name: 'densenet-bc-100',
  family: 'densenet',
  tags: ['cifar'],
  description: 'DenseNet-BC (L = 100, k = 12) for 32x32 inputs: three blocks of 16 bottleneck layers, compression 0.5',
  paper: DENSENET_PAPER,
  defaultInput: [32, 32, 3],
  reference: { params: 769_162, top1: 95.49, source: 'Huang et al. 2017, Table 2 (0.8M parameters, 4.51% CIFAR-10+ error)' },
  options: densenetCifarOptions,
  build: (options) => buildDenseNet({ name: 'densenet-bc-100', ...DENSENET_BC_100, form: 'cifar' }, options),
});
