import {
  architectureOptions,
  type BaseArchitectureOptions,
  defineArchitecture,
  type InputShape,
  type ReferenceFigures,
} from '@convkit/core';
import {
  type AttentionSlot,
  activation,
  afterBlock,
  afterBlockOption,
  attentionOption,
  batchNorm,
  classifierHead,
  convBnAct,
  dropoutOption,
  dropPathOption,
  dropPathRate,
  MaxPool2d,
  requireInputAtLeast,
  scaleWidth,
  widthMultiplierOption,
} from '@convkit/layers';
import { input, type LayersModel, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { z } from 'zod';
import { MODERN_INIT } from './conventions.js';
import { type BranchKind, residualBlock } from './residual-block.js';

/** One pre-activation network: its stem, block kind, blocks and inner widths per stage. */
interface PreActConfig {
  family: string;
  paper: { title: string; year: number; url: string };
  branch: BranchKind;
  /** Blocks per stage. */
  blocks: readonly number[];
  /** Inner width of each stage; a bottleneck's output is 4 times it, a basic block's equal to it. */
  widths: readonly number[];
  /**
   * `imagenet`: `stem.conv` 7x7/2 64, `stem.bn`, `stem.relu`, `stem.pool` 3x3/2, whose BN-ReLU is the
   * first block's pre-activation; `cifar`: one 3x3 convolution of 16, no norm (the first block's
   * BN-ReLU follows).
   */
  stem: 'imagenet' | 'cifar';
  defaultInput: InputShape;
  numClasses: number;
  /** Default of the `dropout` option, the rate between a basic block's two 3x3 convolutions (Wide ResNet's); 0 for all. */
  dropout: number;
}

const PREACT_PAPER = { title: 'Identity Mappings in Deep Residual Networks', year: 2016, url: 'https://arxiv.org/abs/1603.05027' };
const WIDE_PAPER = { title: 'Wide Residual Networks', year: 2016, url: 'https://arxiv.org/abs/1605.07146' };
const CIFAR = { stem: 'cifar', defaultInput: [32, 32, 3] as InputShape, numClasses: 10, dropout: 0 } as const;

/**
 * The pre-activation networks (He et al. 2016b; Zagoruyko & Komodakis 2016): each unit BN-ReLU-conv,
 * nothing after the add, one BN-ReLU after the last block. The CIFAR depths are 9n + 2 (bottleneck)
 * and 6n + 4 (Wide ResNet-d-k, widths 16k, 32k, 64k).
 */
// biome-ignore format: one row per network, as in the papers' tables
const PREACT_CONFIGS = {
  'preact-resnet18':   { family: 'preact-resnet', paper: PREACT_PAPER, branch: 'basic',      blocks: [2, 2, 2, 2],    widths: [64, 128, 256, 512],
                         stem: 'imagenet', defaultInput: [224, 224, 3] as InputShape, numClasses: 1000, dropout: 0 },
  'preact-resnet164':  { ...CIFAR, family: 'preact-resnet', paper: PREACT_PAPER, branch: 'bottleneck', blocks: [18, 18, 18],    widths: [16, 32, 64] },
  'preact-resnet1001': { ...CIFAR, family: 'preact-resnet', paper: PREACT_PAPER, branch: 'bottleneck', blocks: [111, 111, 111], widths: [16, 32, 64] },
  'wrn-28-10':         { ...CIFAR, family: 'wide-resnet',   paper: WIDE_PAPER,   branch: 'basic',      blocks: [4, 4, 4],       widths: [160, 320, 640] },
} as const satisfies Record<string, PreActConfig>;

/** A pre-activation variant: the name of a {@link PREACT_CONFIGS} row. */
export type PreActVariant = keyof typeof PREACT_CONFIGS;

/**
 * Trainable parameters as test/fixtures/paper_counts.py counts an independent PyTorch implementation,
 * and the papers' CIFAR-10 errors (He et al. 2016b; Zagoruyko & Komodakis, without dropout).
 */
const PREACT_REFERENCE: Record<PreActVariant, ReferenceFigures> = {
  'preact-resnet18': { params: 11_687_720 },
  'preact-resnet164': { params: 1_703_258, top1: 94.54 },
  'preact-resnet1001': { params: 10_327_706, top1: 95.08 },
  'wrn-28-10': { params: 36_479_194, top1: 96.0 },
};

function preactOptions(config: PreActConfig) {
  return architectureOptions(
    { numClasses: config.numClasses, inputShape: config.defaultInput },
    {
      widthMultiplier: widthMultiplierOption,
      dropPath: dropPathOption,
      dropout: dropoutOption(config.dropout),
      attention: attentionOption,
      afterBlock: afterBlockOption,
    },
  );
}

/** Options of the pre-activation networks (`preact-resnet164`, `wrn-28-10`, ...). */
export type PreActOptions = BaseArchitectureOptions & z.output<ReturnType<typeof preactOptions>>;

/** What {@link buildPreActResNet} reads: the registered options plus an attention slot for every block. */
export type PreActBuildOptions = PreActOptions & { attention?: AttentionSlot | null };

function stem(x: SymbolicTensor, config: PreActConfig, filters: number): SymbolicTensor {
  if (config.stem === 'cifar') {
    return convBnAct('stem', {
      filters,
      kernelSize: 3,
      norm: false,
      activation: null,
      useBias: false,
      kernelInitializer: MODERN_INIT.conv,
    })(x);
  }
  const y = convBnAct('stem', { filters, kernelSize: 7, strides: 2, kernelInitializer: MODERN_INIT.conv, names: { act: 'stem.relu' } })(x);
  return new MaxPool2d({ name: 'stem.pool', kernelSize: 3, strides: 2, padding: 1 }).apply(y) as SymbolicTensor;
}

/**
 * Builds pre-activation network `variant`: the stem, blocks `stage<s>.block<b>` (`bn<i>`, `relu<i>`,
 * `conv<i>`; `dropout` between the two 3x3 convolutions of a basic block when asked, as in Wide
 * ResNet), shortcuts `stage<s>.block1.shortcut.conv` (a 1x1 convolution of the pre-activated input),
 * the final `head.bn` and `head.relu`, `avgpool` and `fc`.
 */
export function buildPreActResNet(variant: PreActVariant, options: PreActBuildOptions): LayersModel {
  const config: PreActConfig = PREACT_CONFIGS[variant];
  const minimum = config.stem === 'imagenet' ? 32 : 2 ** (config.blocks.length - 1);
  requireInputAtLeast(variant, options.inputShape, minimum, 'its stem and stride-2 stages');
  const scale = (channels: number) => scaleWidth(channels, options.widthMultiplier);
  const expansion = config.branch === 'bottleneck' ? 4 : 1;
  const image = input({ name: 'input', shape: options.inputShape });
  let y = stem(image, config, scale(config.stem === 'imagenet' ? 64 : 16));
  const total = config.blocks.reduce((a, b) => a + b, 0);
  let index = 0;
  config.blocks.forEach((count, s) => {
    const width = scale(config.widths[s] as number);
    for (let b = 0; b < count; b++) {
      const prefix = `stage${s + 1}.block${b + 1}`;
      y = residualBlock(prefix, {
        branch: config.branch,
        order: 'pre',
        filters: width * expansion,
        width,
        strides: s > 0 && b === 0 ? 2 : 1,
        shortcut: 'projection',
        naming: 'paper',
        dropout: options.dropout,
        dropPath: dropPathRate(options.dropPath, index, total),
        attention: options.attention ?? undefined,
        kernelInitializer: MODERN_INIT.conv,
        preactivated: index === 0 && config.stem === 'imagenet',
      })(y);
      y = afterBlock(options.afterBlock, { stage: s + 1, block: b + 1, blocksInStage: count, channels: width * expansion, prefix }, y);
      index++;
    }
  });
  // The last unit's output has not been normalized: one BN-ReLU before the pool (He et al. 2016b, appendix).
  y = activation('relu', 'head.relu').apply(batchNorm({ name: 'head.bn' }).apply(y)) as SymbolicTensor;
  const logits = classifierHead(y, {
    globalPool: 'avgpool',
    logitsName: 'fc',
    numClasses: options.numClasses,
    kernelInitializer: MODERN_INIT.dense,
  });
  return model({ name: variant, inputs: image, outputs: logits });
}

function registeredPreAct(variant: PreActVariant, description: string) {
  const config: PreActConfig = PREACT_CONFIGS[variant];
  return defineArchitecture<PreActOptions>({
    name: variant,
    family: config.family,
    tags: [config.stem, 'residual'],
    description,
    paper: config.paper,
    defaultInput: config.defaultInput,
    reference: {
      ...PREACT_REFERENCE[variant],
      source: "exact count from test/fixtures/paper_counts.py; top-1 = 100 - the paper's CIFAR-10 error",
    },
    options: preactOptions(config),
    build: (options) => buildPreActResNet(variant, options),
  });
}

/**
 * Pre-activation ResNet-18 (He et al., "Identity Mappings in Deep Residual Networks", ECCV 2016) on
 * ResNet-18's ImageNet layout: default input 224x224x3, 1000 classes; 11,687,720 parameters (the stem's
 * BN-ReLU serves as the first block's pre-activation, projections have no norm, one final BN).
 */
export const preactResnet18 = registeredPreAct(
  'preact-resnet18',
  'Pre-activation ResNet-18: 2/2/2/2 BN-ReLU-conv basic blocks on the ImageNet stem',
);
/**
 * Pre-activation ResNet-164 for CIFAR (He et al. 2016b, Table 3): 18 bottlenecks per stage of 16, 32
 * and 64 inner channels (outputs 64, 128, 256), default 32x32x3; 1,703,258 parameters (paper: 1.7M),
 * 5.46% CIFAR-10 error.
 */
export const preactResnet164 = registeredPreAct(
  'preact-resnet164',
  'Pre-activation ResNet-164 for 32x32 inputs: 3 stages of 18 bottlenecks',
);
/** Pre-activation ResNet-1001 for CIFAR (He et al. 2016b): 111 bottlenecks per stage; 10,327,706 parameters (paper: 10.2M), 4.92% CIFAR-10 error. */
export const preactResnet1001 = registeredPreAct(
  'preact-resnet1001',
  'Pre-activation ResNet-1001 for 32x32 inputs: 3 stages of 111 bottlenecks',
);
/**
 * Wide ResNet-28-10 (Zagoruyko & Komodakis, "Wide Residual Networks", BMVC 2016): 4 pre-activation
 * basic blocks per stage with 160, 320 and 640 channels, default 32x32x3; 36,479,194 parameters
 * (paper: 36.5M), 4.00% CIFAR-10 error (3.89% with `dropout: 0.3` between the convolutions; default 0).
 */
export const wrn28x10 = registeredPreAct(
  'wrn-28-10',
  'Wide ResNet-28-10 for 32x32 inputs: 3 stages of 4 pre-activation basic blocks, widths 160/320/640',
);
