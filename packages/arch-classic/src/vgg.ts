import { architectureOptions, type BaseArchitectureOptions, defineArchitecture, type ReferenceFigures } from '@convkit/core';
import {
  AdaptiveAvgPool2d,
  type AttentionSlot,
  attentionOption,
  classifierHead,
  convBnAct,
  dropoutOption,
  requireInputAtLeast,
  scaleWidth,
  widthMultiplierOption,
} from '@convkit/layers';
import { input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { CLASSIC_INIT, classicNames } from './conventions.js';

/**
 * Table 1 of the VGG paper: the 3x3 convolution widths of each stage of configurations A, B, D and E;
 * every stage ends in a 2x2 max pool of stride 2.
 */
// biome-ignore format: one row per configuration, as in the paper's table
const VGG_CONFIGS = {
  vgg11: { column: 'A', stages: [[64], [128], [256, 256], [512, 512], [512, 512]] },
  vgg13: { column: 'B', stages: [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]] },
  vgg16: { column: 'D', stages: [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]] },
  vgg19: { column: 'E', stages: [[64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512], [512, 512, 512, 512]] },
} as const;

/** A VGG depth: the name of a {@link VGG_CONFIGS} row. */
export type VggDepth = keyof typeof VGG_CONFIGS;

/** Spatial size the ImageNet classifier sees, as in the paper at 224x224 and through torchvision's adaptive pool at any size. */
const VGG_POOLED_SIZE = 7;
/** Five 2x2/2 max pools need at least 32 pixels to leave one. */
const VGG_MIN_INPUT = 32;

/** The published figures of torchvision's VGGs (ImageNet, 224x224), which `vgg*` and `vgg*-bn` reproduce. */
const VGG_REFERENCE: Record<string, ReferenceFigures> = {
  vgg11: { params: 132_863_336, macs: 7.61e9, top1: 69.02 },
  'vgg11-bn': { params: 132_868_840, macs: 7.61e9, top1: 70.37 },
  vgg13: { params: 133_047_848, macs: 11.31e9, top1: 69.928 },
  'vgg13-bn': { params: 133_053_736, macs: 11.31e9, top1: 71.586 },
  vgg16: { params: 138_357_544, macs: 15.47e9, top1: 71.592 },
  'vgg16-bn': { params: 138_365_992, macs: 15.47e9, top1: 73.36 },
  vgg19: { params: 143_667_240, macs: 19.63e9, top1: 72.376 },
  'vgg19-bn': { params: 143_678_248, macs: 19.63e9, top1: 74.218 },
};

const VGG_PAPER = {
  title: 'Very Deep Convolutional Networks for Large-Scale Image Recognition',
  year: 2015,
  url: 'https://arxiv.org/abs/1409.1556',
};

const vggOptions = architectureOptions(
  { numClasses: 1000, inputShape: [224, 224, 3] },
  { dropout: dropoutOption(0.5), widthMultiplier: widthMultiplierOption, attention: attentionOption },
);
const vggCifarOptions = architectureOptions(
  { numClasses: 10, inputShape: [32, 32, 3] },
  { batchNorm: z.boolean().default(true), widthMultiplier: widthMultiplierOption, attention: attentionOption },
);

/** Options of the ImageNet VGGs (`vgg16`, `vgg16-bn`, ...). */
export type VggOptions = BaseArchitectureOptions & z.output<typeof vggOptions>;
/** Options of the CIFAR VGGs (`vgg16-cifar`, ...). */
export type VggCifarOptions = BaseArchitectureOptions & z.output<typeof vggCifarOptions>;

/** One VGG network: its registered name, its depth and how it normalizes and ends. */
export interface VggVariant {
  name: string;
  depth: VggDepth;
  /** Batch normalization after every convolution (torchvision's `vgg*_bn`, which keeps the conv biases). */
  batchNorm: boolean;
  /**
   * `imagenet`: adaptive average pool to 7x7, then FC-4096, FC-4096 with ReLU and dropout, then the
   * logits; `cifar`: global average pool (1x1 at 32x32) and one fully connected layer.
   */
  head: 'imagenet' | 'cifar';
}

/**
 * Options {@link buildVgg} reads; `dropout` only matters to the ImageNet head. `attention` fills the
 * slot at the end of every stage (after its last convolution's norm and ReLU, before the pool), VGG's
 * stages being its blocks; its layers are named `features.attn<stage>`.
 */
export type VggBuildOptions = BaseArchitectureOptions & { widthMultiplier: number; dropout?: number; attention?: AttentionSlot | null };

/**
 * The convolutional stages of a VGG: convolutions `features.conv<stage>_<i>` (3x3, padding 1, ReLU;
 * `.bn` and `.relu` after them with batch norm) and max pools `features.pool<stage>`.
 */
function vggFeatures(
  x: SymbolicTensor,
  depth: VggDepth,
  batchNorm: boolean,
  widthMultiplier: number,
  attention?: AttentionSlot | null,
): SymbolicTensor {
  let y = x;
  VGG_CONFIGS[depth].stages.forEach((widths, s) => {
    widths.forEach((filters, i) => {
      const name = `features.conv${s + 1}_${i + 1}`;
      y = convBnAct(name, {
        filters: scaleWidth(filters, widthMultiplier),
        kernelSize: 3,
        padding: 'same',
        useBias: true,
        norm: batchNorm ? {} : false,
        activation: 'relu',
        kernelInitializer: CLASSIC_INIT.conv,
        names: classicNames(name, 'relu'),
      })(y);
    });
    if (attention) y = attention(y.shape[3] as number, `features.attn${s + 1}`)(y);
    y = layers.maxPooling2d({ name: `features.pool${s + 1}`, poolSize: 2, strides: 2 }).apply(y) as SymbolicTensor;
  });
  return y;
}

/** Builds a VGG: the paper's configuration column for its depth, in torchvision's layout. */
export function buildVgg(variant: VggVariant, options: VggBuildOptions): LayersModel {
  requireInputAtLeast(variant.name, options.inputShape, VGG_MIN_INPUT, 'five 2x2 max pools of stride 2');
  const { widthMultiplier } = options;
  const image = input({ name: 'input', shape: options.inputShape });
  const features = vggFeatures(image, variant.depth, variant.batchNorm, widthMultiplier, options.attention);
  let logits: SymbolicTensor;
  if (variant.head === 'imagenet') {
    const pooled = new AdaptiveAvgPool2d({ name: 'avgpool', outputSize: VGG_POOLED_SIZE }).apply(features) as SymbolicTensor;
    const flat = layers.flatten({ name: 'flatten' }).apply(pooled) as SymbolicTensor;
    logits = classifierHead(flat, {
      hidden: [
        { name: 'classifier.fc6', units: scaleWidth(4096, widthMultiplier) },
        { name: 'classifier.fc7', units: scaleWidth(4096, widthMultiplier) },
      ],
      logitsName: 'classifier.fc8',
      numClasses: options.numClasses,
      activation: 'relu',
      dropout: options.dropout ?? 0,
      dropoutPlacement: 'after',
      kernelInitializer: CLASSIC_INIT.dense,
    });
  } else {
    logits = classifierHead(features, {
      globalPool: 'avgpool',
      logitsName: 'classifier.fc',
      numClasses: options.numClasses,
      kernelInitializer: CLASSIC_INIT.dense,
    });
  }
  return model({ name: variant.name, inputs: image, outputs: logits });
}

/** The registered ImageNet VGG of `depth`, with or without batch norm. */
function imagenetVgg(depth: VggDepth, batchNorm: boolean) {
  const name = `${depth}${batchNorm ? '-bn' : ''}`;
  const { column, stages } = VGG_CONFIGS[depth];
  const convs = stages.flat().length;
  return defineArchitecture<VggOptions>({
    name,
    family: 'vgg',
    tags: ['imagenet', 'torchvision'],
    description: `VGG-${convs + 3} (configuration ${column})${batchNorm ? ' with batch norm' : ''}: ${convs} 3x3 convs, 3 fully connected layers`,
    paper: VGG_PAPER,
    defaultInput: [224, 224, 3],
    reference: { ...VGG_REFERENCE[name], source: 'torchvision 0.14 model docs (ImageNet-1k, 224x224)' },
    options: vggOptions,
    build: (options) => buildVgg({ name, depth, batchNorm, head: 'imagenet' }, options),
  });
}

/** The registered CIFAR VGG of `depth`. */
function cifarVgg(depth: VggDepth) {
  const { column, stages } = VGG_CONFIGS[depth];
  const convs = stages.flat().length;
  const name = `${depth}-cifar`;
  return defineArchitecture<VggCifarOptions>({
    name,
    family: 'vgg',
    tags: ['cifar'],
    description: `VGG-${convs + 3}'s ${convs} 3x3 convs (configuration ${column}) for 32x32 inputs, batch norm, global pool, one fully connected layer`,
    paper: VGG_PAPER,
    defaultInput: [32, 32, 3],
    options: vggCifarOptions,
    build: (options) => buildVgg({ name, depth, batchNorm: options.batchNorm, head: 'cifar' }, options),
  });
}

/**
 * VGG-11, configuration A of Simonyan & Zisserman, "Very Deep Convolutional Networks for
 * Large-Scale Image Recognition", ICLR 2015. Default input 224x224x3, 1000 classes; other inputs
 * from 32x32 up are pooled adaptively to 7x7. Figures (torchvision): 132,863,336 parameters,
 * 7.61 G MACs, 69.02% top-1.
 */
export const vgg11 = imagenetVgg('vgg11', false);
/** VGG-11 with batch norm after each convolution (torchvision `vgg11_bn`): 132,868,840 parameters, 7.61 G MACs, 70.37% top-1 at 224x224. */
export const vgg11Bn = imagenetVgg('vgg11', true);
/** VGG-13, configuration B (Simonyan & Zisserman 2015), default input 224x224x3: 133,047,848 parameters, 11.31 G MACs, 69.93% top-1 (torchvision). */
export const vgg13 = imagenetVgg('vgg13', false);
/** VGG-13 with batch norm (torchvision `vgg13_bn`): 133,053,736 parameters, 11.31 G MACs, 71.59% top-1 at 224x224. */
export const vgg13Bn = imagenetVgg('vgg13', true);
/**
 * VGG-16, configuration D (Simonyan & Zisserman 2015), default input 224x224x3: 138,357,544
 * parameters, 15.47 G MACs, 71.59% top-1 (torchvision); the paper reports 24.4% top-1 error with
 * multi-scale evaluation.
 */
export const vgg16 = imagenetVgg('vgg16', false);
/** VGG-16 with batch norm (torchvision `vgg16_bn`): 138,365,992 parameters, 15.47 G MACs, 73.36% top-1 at 224x224. */
export const vgg16Bn = imagenetVgg('vgg16', true);
/** VGG-19, configuration E (Simonyan & Zisserman 2015), default input 224x224x3: 143,667,240 parameters, 19.63 G MACs, 72.38% top-1 (torchvision). */
export const vgg19 = imagenetVgg('vgg19', false);
/** VGG-19 with batch norm (torchvision `vgg19_bn`): 143,678,248 parameters, 19.63 G MACs, 74.22% top-1 at 224x224. */
export const vgg19Bn = imagenetVgg('vgg19', true);

/**
 * VGG-11's convolutions for CIFAR-size inputs (default 32x32x3, 10 classes): the five stages end
 * at 1x1x512, so the 7x7 pool and the two 4096-wide layers of the ImageNet head (over 100 M
 * parameters) give way to a global average pool and one fully connected layer, as in the usual
 * CIFAR VGGs; batch norm is on by default (`batchNorm: false` turns it off). 9.23 M parameters.
 */
export const vgg11Cifar = cifarVgg('vgg11');
/** VGG-13's convolutions for 32x32 inputs, like {@link vgg11Cifar}: 9.42 M parameters with batch norm. */
export const vgg13Cifar = cifarVgg('vgg13');
/** VGG-16's convolutions for 32x32 inputs, like {@link vgg11Cifar}: 14.73 M parameters with batch norm. */
export const vgg16Cifar = cifarVgg('vgg16');
/** VGG-19's convolutions for 32x32 inputs, like {@link vgg11Cifar}: 20.04 M parameters with batch norm. */
export const vgg19Cifar = cifarVgg('vgg19');
