import {
  architectureOptions,
  type BaseArchitectureOptions,
  defineArchitecture,
  type InputShape,
  type ReferenceFigures,
} from '@convkit/core';
import {
  type AttentionSlot,
  afterBlock,
  afterBlockOption,
  attentionOption,
  classifierHead,
  convBnAct,
  dropPathOption,
  dropPathRate,
  MaxPool2d,
  requireInputAtLeast,
  scaleWidth,
  widthMultiplierOption,
} from '@convkit/layers';
import { input, type LayersModel, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { MODERN_INIT } from './conventions.js';
import { type BranchKind, residualBlock } from './residual-block.js';

/** Output channels of a block are its `planes` times this (torchvision's `expansion`). */
const EXPANSION: Record<BranchKind, number> = { basic: 1, bottleneck: 4 };

/** One post-activation ResNet (v1): its stem, block kind, blocks per stage and the 3x3 width rule. */
interface ResNetConfig {
  family: string;
  branch: BranchKind;
  /** Blocks per stage (Table 1 of He et al. 2016; Table 1 of Xie et al. 2017 for ResNeXt). */
  blocks: readonly number[];
  /** `planes` of each stage: a bottleneck's 1x1 reduction width at 64 channels per group, a basic block's width. */
  planes: readonly number[];
  /** 3x3 groups (ResNeXt's cardinality C); 1 elsewhere. */
  groups: number;
  /** Channels per group at `planes = 64` (ResNeXt's d, Wide ResNet's 64 * k); width = planes * widthPerGroup / 64 * groups. */
  widthPerGroup: number;
  /**
   * `imagenet`: torchvision's `conv1` 7x7/2, `bn1`, `relu`, `maxpool` 3x3/2 (input /4 before layer1);
   * `cifar`: one 3x3 convolution of `stemFilters` at stride 1 (Xie et al.'s CIFAR ResNeXt).
   */
  stem: 'imagenet' | 'cifar';
  stemFilters: number;
  /** `torchvision`: `conv1`, `layer<s>.<b>.conv1`, `layer<s>.<b>.downsample.0`, `fc`; `paper`: `stem.conv`, `stage<s>.block<b>.conv1`, `.shortcut.conv`. */
  naming: 'torchvision' | 'paper';
  defaultInput: InputShape;
  numClasses: number;
}

const IMAGENET = {
  stem: 'imagenet',
  stemFilters: 64,
  naming: 'torchvision',
  defaultInput: [224, 224, 3] as InputShape,
  numClasses: 1000,
} as const;
const PLANES = [64, 128, 256, 512] as const;

/**
 * The post-activation ResNets: torchvision's `resnet*`, `wide_resnet*_2` and `resnext*` (one
 * `ResNet` class, rows of `blocks`, `groups` and `width_per_group`), and the CIFAR ResNeXt-29.
 */
// biome-ignore format: one row per network, as in the papers' tables
const RESNET_CONFIGS = {
  resnet18:           { ...IMAGENET, family: 'resnet',      branch: 'basic',      blocks: [2, 2, 2, 2],  planes: PLANES, groups: 1,  widthPerGroup: 64 },
  resnet34:           { ...IMAGENET, family: 'resnet',      branch: 'basic',      blocks: [3, 4, 6, 3],  planes: PLANES, groups: 1,  widthPerGroup: 64 },
  resnet50:           { ...IMAGENET, family: 'resnet',      branch: 'bottleneck', blocks: [3, 4, 6, 3],  planes: PLANES, groups: 1,  widthPerGroup: 64 },
  resnet101:          { ...IMAGENET, family: 'resnet',      branch: 'bottleneck', blocks: [3, 4, 23, 3], planes: PLANES, groups: 1,  widthPerGroup: 64 },
  resnet152:          { ...IMAGENET, family: 'resnet',      branch: 'bottleneck', blocks: [3, 8, 36, 3], planes: PLANES, groups: 1,  widthPerGroup: 64 },
  'wide-resnet50-2':  { ...IMAGENET, family: 'wide-resnet', branch: 'bottleneck', blocks: [3, 4, 6, 3],  planes: PLANES, groups: 1,  widthPerGroup: 128 },
  'wide-resnet101-2': { ...IMAGENET, family: 'wide-resnet', branch: 'bottleneck', blocks: [3, 4, 23, 3], planes: PLANES, groups: 1,  widthPerGroup: 128 },
  'resnext50-32x4d':  { ...IMAGENET, family: 'resnext',     branch: 'bottleneck', blocks: [3, 4, 6, 3],  planes: PLANES, groups: 32, widthPerGroup: 4 },
  'resnext101-32x8d': { ...IMAGENET, family: 'resnext',     branch: 'bottleneck', blocks: [3, 4, 23, 3], planes: PLANES, groups: 32, widthPerGroup: 8 },
  // Xie et al. 2017, section 5.3: stem 3x3 64, three stages of 3 blocks with outputs 256, 512, 1024, C = 8, d = 64.
  'resnext29-8x64d':  { stem: 'cifar', stemFilters: 64, naming: 'paper', defaultInput: [32, 32, 3] as InputShape, numClasses: 10,
                        family: 'resnext',     branch: 'bottleneck', blocks: [3, 3, 3],     planes: [64, 128, 256], groups: 8, widthPerGroup: 64 },
} as const satisfies Record<string, ResNetConfig>;

/** A post-activation ResNet variant: the name of a {@link RESNET_CONFIGS} row. */
export type ResNetVariant = keyof typeof RESNET_CONFIGS;

/**
 * Published figures: parameters as torchvision 0.14 counts them (test/fixtures/torchvision_counts.py;
 * paper_counts.py for ResNeXt-29), G MACs and top-1 from torchvision's model docs (ImageNet-1k,
 * 224x224, the IMAGENET1K_V1 weights), ResNeXt-29's from Xie et al.'s Table 7.
 */
const RESNET_REFERENCE: Record<ResNetVariant, ReferenceFigures> = {
  resnet18: { params: 11_689_512, macs: 1.81e9, top1: 69.758 },
  resnet34: { params: 21_797_672, macs: 3.66e9, top1: 73.314 },
  resnet50: { params: 25_557_032, macs: 4.09e9, top1: 76.13 },
  resnet101: { params: 44_549_160, macs: 7.8e9, top1: 77.374 },
  resnet152: { params: 60_192_808, macs: 11.51e9, top1: 78.312 },
  'wide-resnet50-2': { params: 68_883_240, macs: 11.4e9, top1: 78.468 },
  'wide-resnet101-2': { params: 126_886_696, macs: 22.75e9, top1: 78.848 },
  'resnext50-32x4d': { params: 25_028_904, macs: 4.23e9, top1: 77.618 },
  'resnext101-32x8d': { params: 88_791_336, macs: 16.41e9, top1: 79.312 },
  'resnext29-8x64d': { params: 34_426_698, top1: 96.35 },
};

const RESNET_PAPER = { title: 'Deep Residual Learning for Image Recognition', year: 2016, url: 'https://arxiv.org/abs/1512.03385' };
const WIDE_PAPER = { title: 'Wide Residual Networks', year: 2016, url: 'https://arxiv.org/abs/1605.07146' };
const RESNEXT_PAPER = {
  title: 'Aggregated Residual Transformations for Deep Neural Networks',
  year: 2017,
  url: 'https://arxiv.org/abs/1611.05431',
};
const PAPERS: Record<string, typeof RESNET_PAPER> = { resnet: RESNET_PAPER, 'wide-resnet': WIDE_PAPER, resnext: RESNEXT_PAPER };

/** Options of the post-activation ResNets (torchvision's and ResNeXt-29). */
function resnetOptions(config: ResNetConfig) {
  return architectureOptions(
    { numClasses: config.numClasses, inputShape: config.defaultInput },
    {
      widthMultiplier: widthMultiplierOption,
      dropPath: dropPathOption,
      zeroInitResidual: z.boolean().default(false),
      attention: attentionOption,
      afterBlock: afterBlockOption,
    },
  );
}

/** Options of a post-activation ResNet (`resnet50`, `resnext50-32x4d`, ...). */
export type ResNetOptions = BaseArchitectureOptions & z.output<ReturnType<typeof resnetOptions>>;

/** What {@link buildResNet} reads: the registered options plus an attention slot for every block. */
export type ResNetBuildOptions = ResNetOptions & { attention?: AttentionSlot | null };

/** The stem: torchvision's 7x7/2 convolution and 3x3/2 max pool, or the CIFAR forms' 3x3 convolution. */
function stem(x: SymbolicTensor, config: ResNetConfig, filters: number): SymbolicTensor {
  if (config.stem === 'cifar') {
    const names =
      config.naming === 'torchvision'
        ? { conv: 'conv1', norm: 'bn1', act: 'relu' }
        : { conv: 'stem.conv', norm: 'stem.bn', act: 'stem.relu' };
    return convBnAct('stem', { filters, kernelSize: 3, kernelInitializer: MODERN_INIT.conv, names })(x);
  }
  const y = convBnAct('stem', {
    filters,
    kernelSize: 7,
    strides: 2,
    kernelInitializer: MODERN_INIT.conv,
    names: { conv: 'conv1', norm: 'bn1', act: 'relu' },
  })(x);
  // PyTorch pads the pool with -inf on both sides; TensorFlow's 'same' would pad only after.
  return new MaxPool2d({ name: 'maxpool', kernelSize: 3, strides: 2, padding: 1 }).apply(y) as SymbolicTensor;
}

/** Smallest input each stem leaves at least one pixel for after every stride. */
function minimumInput(config: ResNetConfig): number {
  return config.stem === 'imagenet' ? 32 : 2 ** (config.blocks.length - 1);
}

/**
 * Builds post-activation ResNet `variant`: the stem, `blocks[s]` residual blocks per stage (the
 * first of stages 2+ at stride 2, on its 3x3 convolution), a global average pool `avgpool` and the
 * logits layer `fc`; the `afterBlock` slot may insert a module (a non-local block) after any block. Layer names follow the row's `naming` (torchvision's module paths for the
 * torchvision forms).
 */
export function buildResNet(variant: ResNetVariant, options: ResNetBuildOptions): LayersModel {
  const config: ResNetConfig = RESNET_CONFIGS[variant];
  const strides = config.stem === 'imagenet' ? 'a 7x7/2 stem, a 3x3/2 max pool and three stride-2 stages' : 'stride-2 stages';
  requireInputAtLeast(variant, options.inputShape, minimumInput(config), strides);
  const scale = (channels: number) => scaleWidth(channels, options.widthMultiplier);
  const image = input({ name: 'input', shape: options.inputShape });
  let y = stem(image, config, scale(config.stemFilters));
  const total = config.blocks.reduce((a, b) => a + b, 0);
  let index = 0;
  config.blocks.forEach((count, s) => {
    const planes = config.planes[s] as number;
    // torchvision: width = int(planes * (base_width / 64.)) * groups
    const width = Math.floor((planes * config.widthPerGroup) / 64) * config.groups;
    for (let b = 0; b < count; b++) {
      const prefix = config.naming === 'torchvision' ? `layer${s + 1}.${b}` : `stage${s + 1}.block${b + 1}`;
      const filters = scale(planes * EXPANSION[config.branch]);
      y = residualBlock(prefix, {
        branch: config.branch,
        order: 'post',
        filters,
        // groups stay whole under a width multiplier: each group narrows instead
        width:
          config.groups > 1 ? Math.max(1, Math.round((width / config.groups) * options.widthMultiplier)) * config.groups : scale(width),
        strides: s > 0 && b === 0 ? 2 : 1,
        groups: config.groups,
        shortcut: 'projection',
        naming: config.naming,
        dropPath: dropPathRate(options.dropPath, index++, total),
        zeroInitResidual: options.zeroInitResidual,
        attention: options.attention ?? undefined,
        kernelInitializer: MODERN_INIT.conv,
      })(y);
      y = afterBlock(options.afterBlock, { stage: s + 1, block: b + 1, blocksInStage: count, channels: filters, prefix }, y);
    }
  });
  const logits = classifierHead(y, {
    globalPool: 'avgpool',
    logitsName: 'fc',
    numClasses: options.numClasses,
    kernelInitializer: MODERN_INIT.dense,
  });
  return model({ name: variant, inputs: image, outputs: logits });
}

/** A one-line description of a config row. */
function describeResNet(config: ResNetConfig): string {
  const depth = config.blocks.reduce((a, b) => a + b, 0) * (config.branch === 'basic' ? 2 : 3) + 2;
  const blocks = `${config.blocks.join('/')} ${config.branch} blocks`;
  const groups = config.groups > 1 ? `, ${config.groups} groups of ${config.widthPerGroup} in the 3x3` : '';
  const wide = config.widthPerGroup > 64 && config.groups === 1 ? `, 3x3 width x${config.widthPerGroup / 64}` : '';
  const input = config.stem === 'cifar' ? ' for 32x32 inputs' : '';
  return `${depth}-layer ResNet${input}: ${blocks}${groups}${wide}`;
}

/** The registered post-activation ResNet `variant`. */
function registeredResNet(variant: ResNetVariant) {
  const config: ResNetConfig = RESNET_CONFIGS[variant];
  const source =
    config.stem === 'imagenet'
      ? 'torchvision 0.14 (parameters counted; MACs and top-1 from its model docs, ImageNet-1k at 224x224)'
      : 'Xie et al. 2017, Table 7 (34.4M parameters, 3.65% CIFAR-10 error); exact count from test/fixtures/paper_counts.py';
  return defineArchitecture<ResNetOptions>({
    name: variant,
    family: config.family,
    // the ImageNet forms are torchvision's models, layer for layer; ResNeXt-29 is the paper's CIFAR form
    tags: config.stem === 'imagenet' ? ['imagenet', 'torchvision', 'residual'] : ['cifar', 'residual'],
    description: describeResNet(config),
    paper: PAPERS[config.family] as typeof RESNET_PAPER,
    defaultInput: config.defaultInput,
    reference: { ...RESNET_REFERENCE[variant], source },
    options: resnetOptions(config),
    build: (options) => buildResNet(variant, options),
  });
}

/**
 * ResNet-18 (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016), torchvision's
 * form: default input 224x224x3, 1000 classes; 11,689,512 parameters, 1.81 G MACs, 69.76% top-1.
 */
export const resnet18 = registeredResNet('resnet18');
/** ResNet-34 (He et al. 2016), torchvision's form: 21,797,672 parameters, 3.66 G MACs, 73.31% top-1 at 224x224. */
export const resnet34 = registeredResNet('resnet34');
/**
 * ResNet-50 (He et al. 2016), torchvision's "v1.5" form with the stride on the bottleneck's 3x3:
 * 25,557,032 parameters, 4.09 G MACs, 76.13% top-1 at 224x224.
 */
export const resnet50 = registeredResNet('resnet50');
/** ResNet-101 (He et al. 2016), torchvision's v1.5 form: 44,549,160 parameters, 7.80 G MACs, 77.37% top-1 at 224x224. */
export const resnet101 = registeredResNet('resnet101');
/** ResNet-152 (He et al. 2016), torchvision's v1.5 form: 60,192,808 parameters, 11.51 G MACs, 78.31% top-1 at 224x224. */
export const resnet152 = registeredResNet('resnet152');
/**
 * Wide ResNet-50-2 (Zagoruyko & Komodakis, "Wide Residual Networks", BMVC 2016), torchvision's
 * ImageNet form: ResNet-50 with every bottleneck's inner width doubled; 68,883,240 parameters,
 * 11.40 G MACs, 78.47% top-1 at 224x224.
 */
export const wideResnet50x2 = registeredResNet('wide-resnet50-2');
/** Wide ResNet-101-2, torchvision's form: 126,886,696 parameters, 22.75 G MACs, 78.85% top-1 at 224x224. */
export const wideResnet101x2 = registeredResNet('wide-resnet101-2');
/**
 * ResNeXt-50 32x4d (Xie et al., "Aggregated Residual Transformations for Deep Neural Networks",
 * CVPR 2017), torchvision's form: 32 groups of 4 channels per group at the first stage in every 3x3;
 * 25,028,904 parameters, 4.23 G MACs, 77.62% top-1 at 224x224.
 */
export const resnext50x32x4d = registeredResNet('resnext50-32x4d');
/** ResNeXt-101 32x8d, torchvision's form: 88,791,336 parameters, 16.41 G MACs, 79.31% top-1 at 224x224. */
export const resnext101x32x8d = registeredResNet('resnext101-32x8d');
/**
 * ResNeXt-29 8x64d for CIFAR (Xie et al. 2017, section 5.3 and Table 7): a 3x3 stem of 64, three
 * stages of three bottlenecks with 256, 512 and 1024 outputs, cardinality 8 and 64 channels per group;
 * default input 32x32x3, 10 classes; 34.4M parameters, 3.65% CIFAR-10 test error.
 */
export const resnext29x8x64d = registeredResNet('resnext29-8x64d');
