import { architectureOptions, type BaseArchitectureOptions, convOutputSize, defineArchitecture, type InputShape } from '@convkit/core';
import {
  classifierHead,
  convBnAct,
  dropoutOption,
  LocalResponseNorm,
  MaxPool2d,
  requireInputAtLeast,
  scaleWidth,
  widthMultiplierOption,
} from '@convkit/layers';
import { input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { auxiliaryClassifier } from './auxiliary-classifier.js';
import { CLASSIC_INIT, type ConvNormalization, classicNames } from './conventions.js';
import { type InceptionWidths, inceptionModule } from './inception-module.js';

/** `auxLogits` option: also output the auxiliary classifiers' logits, for training. */
const auxLogitsOption = z.boolean().default(false);

/**
 * Table 1 of the GoogLeNet paper, one row per Inception module:
 * `#1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj`.
 */
const INCEPTION_TABLE = {
  '3a': [64, 96, 128, 16, 32, 32],
  '3b': [128, 128, 192, 32, 96, 64],
  '4a': [192, 96, 208, 16, 48, 64],
  '4b': [160, 112, 224, 24, 64, 64],
  '4c': [128, 128, 256, 24, 64, 64],
  '4d': [112, 144, 288, 32, 64, 64],
  '4e': [256, 160, 320, 32, 128, 128],
  '5a': [256, 160, 320, 32, 128, 128],
  '5b': [384, 192, 384, 48, 128, 128],
} as const satisfies Record<string, InceptionWidths>;

/** The modules of stages 3, 4 and 5; a stride-2 max pool (`pool3`, `pool4`) separates the stages. */
const GOOGLENET_STAGES = [
  ['3a', '3b'],
  ['4a', '4b', '4c', '4d', '4e'],
  ['5a', '5b'],
] as const;

/** The auxiliary classifiers by the module whose output each one reads (paper §5). */
const AUXILIARY_HEADS: Partial<Record<string, string>> = { '4a': 'aux1', '4d': 'aux2' };

/** What differs between the paper's GoogLeNet and torchvision's. */
export interface GoogLeNetConvention {
  normalization: ConvNormalization;
  /** Local response normalization after `pool1` and after `conv3`, as in the paper's Figure 3. */
  lrn: boolean;
  /** Kernel of the modules' "5x5" branch. */
  wideKernel: 5 | 3;
  /** Window of `pool4` (stride 2 either way). */
  pool4Size: 3 | 2;
  /** Pooling of the auxiliary classifiers. */
  auxPooling: 'window' | 'adaptive';
}

/**
 * The paper's network (conv + bias + ReLU) and torchvision's (conv without bias + batch norm, eps
 * 1e-3), whose "5x5" branch is 3x3 and pool4 2x2: deviations it keeps for its published weights.
 * Pass one to {@link buildGoogLeNet} to build a variant of your own.
 */
// biome-ignore format: one row per convention
export const GOOGLENET_CONVENTIONS = {
  paper: { normalization: { useBias: true, norm: false }, lrn: true, wideKernel: 5, pool4Size: 3, auxPooling: 'window' },
  torchvision: { normalization: { useBias: false, norm: { epsilon: 1e-3 } }, lrn: false, wideKernel: 3, pool4Size: 2, auxPooling: 'adaptive' },
} as const satisfies Record<string, GoogLeNetConvention>;

/**
 * The paper gives no LRN constants; these are those of the Caffe reference model (bvlc_googlenet),
 * whose `alpha` applies to the mean of the squares.
 */
const GOOGLENET_LRN = { size: 5, alpha: 1e-4, beta: 0.75, k: 1, convention: 'pytorch' } as const;

/** One GoogLeNet network: its registered name, its stem and its convention. */
export interface GoogLeNetVariant {
  name: string;
  /**
   * `imagenet`: 7x7/2 conv, 3x3/2 pool, 1x1 and 3x3 convs, 3x3/2 pool (224 → 28 before stage 3);
   * `cifar`: one 3x3 conv of 192 filters and no pooling, so stage 3 sees 32x32.
   */
  stem: 'imagenet' | 'cifar';
  convention: GoogLeNetConvention;
}

/** Options {@link buildGoogLeNet} reads. */
export interface GoogLeNetBuildOptions extends BaseArchitectureOptions {
  /** Drop rate before the final fully connected layer. */
  dropout: number;
  /** Drop rate in the auxiliary classifiers. */
  auxDropout: number;
  /** Output `[logits, aux1, aux2]` instead of the logits alone; for training, where the loss is main + 0.3 x (aux1 + aux2). */
  auxLogits: boolean;
  widthMultiplier: number;
}

/** A stride-2 max pool rounding up like PyTorch's `ceil_mode=True` (and Caffe), which both forms' published geometry uses. */
function reductionPool(x: SymbolicTensor, name: string, kernelSize: number): SymbolicTensor {
  return new MaxPool2d({ name, kernelSize, strides: 2, ceilMode: true }).apply(x) as SymbolicTensor;
}

/** Side after a {@link reductionPool}, or 0 when its window does not fit. */
function reducedSide(side: number, kernel: number): number {
  return side >= kernel ? convOutputSize({ size: side, kernel, stride: 2, ceilMode: true }) : 0;
}

/** Side of the map that inception 4a sees for an input side (0 when a stem pool does not fit). */
function sideAtStage4(side: number, variant: GoogLeNetVariant): number {
  if (variant.stem === 'cifar') return reducedSide(side, 3);
  const conv1 = convOutputSize({ size: side, kernel: 7, stride: 2, padding: 3 });
  return reducedSide(reducedSide(reducedSide(conv1, 3), 3), 3);
}

/**
 * Throws a `ConvkitError` naming the smallest input that builds when `options.inputShape` is
 * smaller: every pool window must fit (pool4 included), and the paper's 5x5 auxiliary pool needs a
 * 5x5 map at 4a.
 */
function checkInput(variant: GoogLeNetVariant, options: GoogLeNetBuildOptions): void {
  const needsAuxWindow = options.auxLogits && variant.convention.auxPooling === 'window';
  const fits = (side: number) => {
    const stage4 = sideAtStage4(side, variant);
    return reducedSide(stage4, variant.convention.pool4Size) > 0 && (!needsAuxWindow || stage4 >= 5);
  };
  const [height, width] = options.inputShape;
  if (fits(height) && fits(width)) return;
  let minimum = 1;
  while (!fits(minimum)) minimum++;
  const reason = needsAuxWindow
    ? 'the auxiliary classifiers pool 5x5 windows from inception 4a'
    : 'its stride-2 max pools need whole windows';
  requireInputAtLeast(variant.name, options.inputShape, minimum, reason);
}

function stem(x: SymbolicTensor, variant: GoogLeNetVariant, widthMultiplier: number): SymbolicTensor {
  const { normalization, lrn } = variant.convention;
  const conv = (input: SymbolicTensor, name: string, filters: number, kernelSize: number, strides = 1) =>
    convBnAct(name, {
      filters: scaleWidth(filters, widthMultiplier),
      kernelSize,
      strides,
      // conv1 (7x7) is zero-padded explicitly below; the others keep their size.
      padding: kernelSize === 7 ? 'valid' : 'same',
      activation: 'relu',
      ...normalization,
      kernelInitializer: CLASSIC_INIT.conv,
      names: classicNames(name, 'relu'),
    })(input);
  if (variant.stem === 'cifar') return conv(x, 'conv1', 192, 3);
  const normalize = (input: SymbolicTensor, name: string) =>
    lrn ? (new LocalResponseNorm({ name, ...GOOGLENET_LRN }).apply(input) as SymbolicTensor) : input;
  // PyTorch pads conv1 by 3 on every side; tfjs 'same' would pad 2 before and 3 after at 224.
  const padded = layers.zeroPadding2d({ name: 'conv1.pad', padding: 3 }).apply(x) as SymbolicTensor;
  let y = normalize(reductionPool(conv(padded, 'conv1', 64, 7, 2), 'pool1', 3), 'lrn1');
  y = conv(conv(y, 'conv2', 64, 1), 'conv3', 192, 3);
  return reductionPool(normalize(y, 'lrn2'), 'pool2', 3);
}

/**
 * Builds a GoogLeNet: the stem, the nine Inception modules of the paper's Table 1 in three stages
 * separated by stride-2 max pools, global average pooling, dropout and the logits layer `fc`, plus
 * the auxiliary classifiers `aux1` (on 4a) and `aux2` (on 4d) when `auxLogits` is set.
 */
export function buildGoogLeNet(variant: GoogLeNetVariant, options: GoogLeNetBuildOptions): LayersModel {
  checkInput(variant, options);
  const { convention } = variant;
  const image = input({ name: 'input', shape: options.inputShape });
  let x = stem(image, variant, options.widthMultiplier);
  const auxOutputs: SymbolicTensor[] = [];
  GOOGLENET_STAGES.forEach((modules, s) => {
    if (s > 0) {
      x = reductionPool(x, `pool${s + 2}`, s === 2 ? convention.pool4Size : 3);
    }
    for (const module of modules) {
      x = inceptionModule(x, `inception${module}`, INCEPTION_TABLE[module], {
        normalization: convention.normalization,
        wideKernel: convention.wideKernel,
        widthMultiplier: options.widthMultiplier,
      });
      const auxName = AUXILIARY_HEADS[module];
      if (options.auxLogits && auxName) {
        auxOutputs.push(
          auxiliaryClassifier(x, auxName, {
            normalization: convention.normalization,
            pooling: convention.auxPooling,
            numClasses: options.numClasses,
            dropout: options.auxDropout,
            widthMultiplier: options.widthMultiplier,
          }),
        );
      }
    }
  });
  const logits = classifierHead(x, {
    globalPool: 'avgpool',
    dropout: options.dropout,
    logitsDropout: 'dropout',
    logitsName: 'fc',
    numClasses: options.numClasses,
    kernelInitializer: CLASSIC_INIT.dense,
  });
  return model({ name: variant.name, inputs: image, outputs: [logits, ...auxOutputs] });
}

/** Options schema of a GoogLeNet registered with these defaults. */
function googlenetOptions(defaults: { numClasses: number; inputShape: InputShape }, dropout: number) {
  return architectureOptions(defaults, {
    dropout: dropoutOption(dropout),
    auxDropout: dropoutOption(0.7),
    auxLogits: auxLogitsOption,
    widthMultiplier: widthMultiplierOption,
  });
}

const IMAGENET = { numClasses: 1000, inputShape: [224, 224, 3] as InputShape };
const googlenetPaperOptions = googlenetOptions(IMAGENET, 0.4);
const googlenetTvOptions = googlenetOptions(IMAGENET, 0.2);
const googlenetCifarOptions = googlenetOptions({ numClasses: 10, inputShape: [32, 32, 3] }, 0.4).extend({
  batchNorm: z.boolean().default(true),
});

/** Options of `googlenet` and `googlenet-tv`. */
export type GoogLeNetOptions = z.output<typeof googlenetPaperOptions>;
/** Options of `googlenet-cifar`. */
export type GoogLeNetCifarOptions = z.output<typeof googlenetCifarOptions>;

const GOOGLENET_PAPER = { title: 'Going Deeper with Convolutions', year: 2015, url: 'https://arxiv.org/abs/1409.4842' };

/**
 * GoogLeNet (Inception v1) as in Szegedy et al., "Going Deeper with Convolutions", CVPR 2015:
 * convolutions with bias and ReLU, LRN in the stem, the nine Inception modules of Table 1 with real
 * 5x5 branches, global average pooling, dropout 0.4 and the logits. Default input 224x224x3,
 * 1000 classes. With `auxLogits: true` the model also outputs the two auxiliary classifiers (5x5/3
 * average pool, 1x1 conv 128, FC 1024, dropout 0.7, FC), needing inputs of at least 79x79; train on
 * main + 0.3 x (aux1 + aux2). Figures: 6,998,552 parameters without the auxiliary heads (13,378,280
 * with them), 1.60 G MACs at 224x224 (the paper budgets 1.5 G multiply-adds); the paper reports
 * 10.07% top-5 error for one model on one crop.
 */
export const googlenet = defineArchitecture<GoogLeNetOptions>({
  name: 'googlenet',
  family: 'googlenet',
  tags: ['imagenet'],
  description: 'GoogLeNet / Inception v1 as in the paper: 9 Inception modules, LRN, optional auxiliary heads',
  paper: GOOGLENET_PAPER,
  defaultInput: [224, 224, 3],
  reference: { macs: 1.5e9, source: 'Szegedy et al. 2015 (budget of 1.5 billion multiply-adds)' },
  options: googlenetPaperOptions,
  build: (options) => buildGoogLeNet({ name: 'googlenet', stem: 'imagenet', convention: GOOGLENET_CONVENTIONS.paper }, options),
});

/**
 * GoogLeNet in torchvision's form (`torchvision.models.googlenet`), into which its ImageNet weights
 * import: convolutions without bias followed by batch norm (eps 1e-3) and ReLU, no LRN, 3x3 kernels
 * in the "5x5" branches, a 2x2 `pool4`, dropout 0.2, auxiliary classifiers pooling adaptively to
 * 4x4. Default input 224x224x3. Figures (torchvision): 6,624,904 trainable parameters without the
 * auxiliary heads, 1.50 G MACs, 69.778% top-1.
 */
export const googlenetTv = defineArchitecture<GoogLeNetOptions>({
  name: 'googlenet-tv',
  family: 'googlenet',
  tags: ['imagenet', 'torchvision'],
  description: "GoogLeNet in torchvision's form (batch norm, no LRN) for PyTorch weight import",
  paper: GOOGLENET_PAPER,
  defaultInput: [224, 224, 3],
  reference: {
    params: 6_624_904,
    macs: 1.5e9,
    top1: 69.778,
    source: 'torchvision 0.14 model docs (ImageNet-1k, 224x224, without aux heads)',
  },
  options: googlenetTvOptions,
  build: (options) => buildGoogLeNet({ name: 'googlenet-tv', stem: 'imagenet', convention: GOOGLENET_CONVENTIONS.torchvision }, options),
});

/**
 * GoogLeNet for CIFAR-size inputs (default 32x32x3, 10 classes): the ImageNet stem, which divides
 * the input by 8 before the first module, becomes one 3x3 convolution of 192 filters, so stages 3,
 * 4 and 5 run at 32x32, 16x16 and 8x8; the modules are the paper's, with batch norm by default
 * (`batchNorm: false` gives the paper's conv + bias + ReLU). The auxiliary classifiers read 16x16
 * maps. Figures: 5,871,914 parameters with batch norm, 1.46 G MACs.
 */
export const googlenetCifar = defineArchitecture<GoogLeNetCifarOptions>({
  name: 'googlenet-cifar',
  family: 'googlenet',
  tags: ['cifar'],
  description: 'GoogLeNet for 32x32 inputs: 3x3 stem, the 9 Inception modules at 32/16/8 pixels, batch norm',
  paper: GOOGLENET_PAPER,
  defaultInput: [32, 32, 3],
  options: googlenetCifarOptions,
  build: ({ batchNorm, ...options }) =>
    buildGoogLeNet(
      {
        name: 'googlenet-cifar',
        stem: 'cifar',
        convention: {
          ...GOOGLENET_CONVENTIONS.paper,
          lrn: false,
          normalization: batchNorm ? { useBias: false, norm: {} } : GOOGLENET_CONVENTIONS.paper.normalization,
        },
      },
      options,
    ),
});
