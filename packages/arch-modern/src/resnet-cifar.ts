import { architectureOptions, type BaseArchitectureOptions, defineArchitecture } from '@convkit/core';
import {
  type AttentionSlot,
  afterBlock,
  afterBlockOption,
  attentionOption,
  classifierHead,
  convBnAct,
  dropPathOption,
  dropPathRate,
  requireInputAtLeast,
  scaleWidth,
  widthMultiplierOption,
} from '@convkit/layers';
import { input, type LayersModel, model } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { MODERN_INIT } from './conventions.js';
import { residualBlock } from './residual-block.js';

/**
 * Section 4.2 of He et al. 2016: a 3x3 convolution of 16 filters, then three stages of `n` basic
 * blocks (2n 3x3 layers) on 32x32, 16x16 and 8x8 maps with 16, 32 and 64 filters, global average
 * pooling and a 10-way fully connected layer: 6n + 2 weighted layers. Each stage after the first
 * halves the map with a stride-2 first convolution.
 */
const CIFAR_STAGE_FILTERS = [16, 32, 64] as const;

/** The paper's depths 6n + 2 by their `n` (Table 6), with its parameter counts and CIFAR-10 test errors. */
// biome-ignore format: one row per network, as in Table 6
const CIFAR_RESNETS = {
  resnet20:  { n: 3,  paperParams: '0.27M', error: 8.75 },
  resnet32:  { n: 5,  paperParams: '0.46M', error: 7.51 },
  resnet44:  { n: 7,  paperParams: '0.66M', error: 7.17 },
  resnet56:  { n: 9,  paperParams: '0.85M', error: 6.97 },
  resnet110: { n: 18, paperParams: '1.7M',  error: 6.43 },
} as const;

/** A CIFAR ResNet depth: the name of a {@link CIFAR_RESNETS} row. */
export type CifarResNetDepth = keyof typeof CIFAR_RESNETS;

/**
 * Trainable parameters of each depth with option A shortcuts and 10 classes, as
 * test/fixtures/cifar_resnet_counts.py computes them with an independent PyTorch implementation.
 */
const CIFAR_RESNET_PARAMS: Record<CifarResNetDepth, number> = {
  resnet20: 269_722,
  resnet32: 464_154,
  resnet44: 658_586,
  resnet56: 853_018,
  resnet110: 1_727_962,
};

const CIFAR_RESNET_PAPER = { title: 'Deep Residual Learning for Image Recognition', year: 2016, url: 'https://arxiv.org/abs/1512.03385' };

/** Two stride-2 stages: below 4x4 the last stage would see a single pixel. */
const CIFAR_MIN_INPUT = 4;

const cifarResNetOptions = architectureOptions(
  { numClasses: 10, inputShape: [32, 32, 3] },
  {
    /**
     * `A`: parameter-free zero-padding shortcuts (the paper's CIFAR networks); `B`: 1x1 projections
     * where the shape changes; `none`: no shortcuts, the paper's "plain" network of the same depth
     * (Figure 6, left), with the same parameters as `A`.
     */
    shortcut: z.enum(['A', 'B', 'none']).default('A'),
    widthMultiplier: widthMultiplierOption,
    attention: attentionOption,
    afterBlock: afterBlockOption,
    dropPath: dropPathOption,
    zeroInitResidual: z.boolean().default(false),
  },
);

/** Options of the CIFAR ResNets (`resnet20` ... `resnet110`). */
export type CifarResNetOptions = BaseArchitectureOptions & z.output<typeof cifarResNetOptions>;

/** What {@link buildCifarResNet} reads: the registered options plus an attention slot for every block. */
export type CifarResNetBuildOptions = CifarResNetOptions & { attention?: AttentionSlot | null };

/**
 * Builds the CIFAR ResNet of `depth`: `stem.conv|bn|relu`, blocks `stage<s>.block<b>` (two 3x3
 * convolutions each, see `residualBlock`) with shortcuts `stage<s>.block1.shortcut`, then `avgpool`
 * and `fc`.
 */
export function buildCifarResNet(depth: CifarResNetDepth, options: CifarResNetBuildOptions): LayersModel {
  requireInputAtLeast(depth, options.inputShape, CIFAR_MIN_INPUT, 'two stride-2 stages');
  const { n } = CIFAR_RESNETS[depth];
  const image = input({ name: 'input', shape: options.inputShape });
  const width = (filters: number) => scaleWidth(filters, options.widthMultiplier);
  let y = convBnAct('stem', {
    filters: width(CIFAR_STAGE_FILTERS[0]),
    kernelSize: 3,
    kernelInitializer: MODERN_INIT.conv,
    names: { conv: 'stem.conv', norm: 'stem.bn', act: 'stem.relu' },
  })(image);
  const blocks = CIFAR_STAGE_FILTERS.length * n;
  CIFAR_STAGE_FILTERS.forEach((filters, s) => {
    for (let b = 0; b < n; b++) {
      const prefix = `stage${s + 1}.block${b + 1}`;
      y = residualBlock(prefix, {
        branch: 'basic',
        order: 'post',
        filters: width(filters),
        width: width(filters),
        strides: s > 0 && b === 0 ? 2 : 1,
        shortcut: ({ A: 'zero-pad', B: 'projection', none: 'none' } as const)[options.shortcut],
        naming: 'paper',
        dropPath: dropPathRate(options.dropPath, s * n + b, blocks),
        zeroInitResidual: options.zeroInitResidual,
        attention: options.attention ?? undefined,
        kernelInitializer: MODERN_INIT.conv,
      })(y);
      y = afterBlock(options.afterBlock, { stage: s + 1, block: b + 1, blocksInStage: n, channels: width(filters), prefix }, y);
    }
  });
  const logits = classifierHead(y, {
    globalPool: 'avgpool',
    logitsName: 'fc',
    numClasses: options.numClasses,
    kernelInitializer: MODERN_INIT.dense,
  });
  return model({ name: depth, inputs: image, outputs: logits });
}

/** The registered CIFAR ResNet of `depth`. */
function cifarResNet(depth: CifarResNetDepth) {
  const { n, paperParams, error } = CIFAR_RESNETS[depth];
  return defineArchitecture<CifarResNetOptions>({
    name: depth,
    family: 'resnet',
    tags: ['cifar', 'residual'],
    description: `ResNet-${6 * n + 2} for 32x32 inputs (He et al. 2016, section 4.2): 3 stages of ${n} basic blocks, 16/32/64 filters, option A shortcuts`,
    paper: CIFAR_RESNET_PAPER,
    defaultInput: [32, 32, 3],
    reference: {
      params: CIFAR_RESNET_PARAMS[depth],
      top1: Number((100 - error).toFixed(2)),
      source: `He et al. 2016, Table 6 (${paperParams} parameters, ${error}% CIFAR-10 test error); exact count from test/fixtures/cifar_resnet_counts.py`,
    },
    options: cifarResNetOptions,
    build: (options) => buildCifarResNet(depth, options),
  });
}

/**
 * ResNet-20 for CIFAR (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016,
 * section 4.2): n = 3, default input 32x32x3, 10 classes, option A shortcuts. 269,722 parameters
 * (the paper's 0.27M), 40.6 M multiply-accumulates in its convolutions and fc, 8.75% CIFAR-10 test error.
 */
export const resnet20 = cifarResNet('resnet20');
/** ResNet-32 for CIFAR (n = 5): 464,154 parameters (paper: 0.46M), 7.51% CIFAR-10 test error. */
export const resnet32 = cifarResNet('resnet32');
/** ResNet-44 for CIFAR (n = 7): 658,586 parameters (paper: 0.66M), 7.17% CIFAR-10 test error. */
export const resnet44 = cifarResNet('resnet44');
/** ResNet-56 for CIFAR (n = 9): 853,018 parameters (paper: 0.85M), 6.97% CIFAR-10 test error. */
export const resnet56 = cifarResNet('resnet56');
/** ResNet-110 for CIFAR (n = 18): 1,727,962 parameters (paper: 1.7M), 6.43% CIFAR-10 test error (best of 5 runs 6.43, mean 6.61). */
export const resnet110 = cifarResNet('resnet110');
