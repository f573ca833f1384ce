import { architectureOptions, type BaseArchitectureOptions, defineArchitecture } from '@convkit/core';
import {
  type AttentionSlot,
  attentionOption,
  classifierHead,
  convBnAct,
  dropoutOption,
  dropPathOption,
  dropPathRate,
  invertedResidual,
  makeDivisible,
  requireInputAtLeast,
  widthMultiplierOption,
} from '@convkit/layers';
import { initializers, input, type LayersModel, model } from '@tensorflow/tfjs-layers';
import type { z } from 'zod';
import { MODERN_INIT } from './conventions.js';

/**
 * Table 2 of the MobileNetV2 paper, torchvision's `inverted_residual_setting`: each row is `n`
 * inverted residuals with expansion `t` and `c` output channels, the first of stride `s`.
 */
// biome-ignore format: the paper's table, one row per bottleneck sequence
const INVERTED_RESIDUAL_SETTING = [
  // t,  c,   n, s
  [1,  16,  1, 1],
  [6,  24,  2, 2],
  [6,  32,  3, 2],
  [6,  64,  4, 2],
  [6,  96,  3, 1],
  [6,  160, 3, 2],
  [6,  320, 1, 1],
] as const;

/** The stem's 3x3 convolution (`conv2d` in Table 2, 32 channels) and the last 1x1 one (1280). */
const STEM_CHANNELS = 32;
const LAST_CHANNELS = 1280;
/** torchvision's `round_nearest`: every width is made divisible by 8 after the multiplier. */
const ROUND_NEAREST = 8;

const MOBILENET_V2_PAPER = {
  title: 'MobileNetV2: Inverted Residuals and Linear Bottlenecks',
  year: 2018,
  url: 'https://arxiv.org/abs/1801.04381',
};

const mobilenetV2Options = (defaults: { numClasses: number; inputShape: [number, number, number] }) =>
  architectureOptions(defaults, {
    /** The paper's width multiplier: every width times it, made divisible by 8; the last 1280 only grows. */
    widthMultiplier: widthMultiplierOption,
    dropout: dropoutOption(0.2),
    dropPath: dropPathOption,
    attention: attentionOption,
  });
const imagenetOptions = mobilenetV2Options({ numClasses: 1000, inputShape: [224, 224, 3] });

/** Options of MobileNet v2 (`mobilenet-v2`, `mobilenet-v2-cifar`). */
export type MobileNetV2Options = BaseArchitectureOptions & z.output<typeof imagenetOptions>;

/** What {@link buildMobileNetV2} reads: the registered options plus an attention slot for every block. */
export type MobileNetV2BuildOptions = MobileNetV2Options & { attention?: AttentionSlot | null };

/**
 * `torchvision`: the 224x224 network with a stride-2 stem, named by torchvision's module paths
 * (`features.0.0`, `features.3.conv.1.0`, `features.18.0`, `classifier.1`); `cifar`: the same table
 * with a stride-1 stem for 32x32 inputs, named by the paper's structure (`conv1`, `stage2.block1.dw.conv`,
 * `conv2`, `classifier`).
 */
export type MobileNetV2Form = 'torchvision' | 'cifar';

/** Four stride-2 rows divide the size by 16 after the stem; at least one pixel must remain. */
const MIN_INPUT: Record<MobileNetV2Form, number> = { torchvision: 32, cifar: 16 };

/**
 * Builds MobileNet v2 (Sandler et al. 2018): the stem, the rows of {@link INVERTED_RESIDUAL_SETTING}
 * (see `invertedResidual`), a 1x1 convolution to 1280 channels, global average pool, dropout and the
 * classifier. Weights start as torchvision's: He normal fan-out convolutions, N(0, 0.01) classifier.
 */
export function buildMobileNetV2(name: string, form: MobileNetV2Form, options: MobileNetV2BuildOptions): LayersModel {
  requireInputAtLeast(name, options.inputShape, MIN_INPUT[form], `${form === 'cifar' ? '' : 'a stride-2 stem and '}four stride-2 stages`);
  const alpha = options.widthMultiplier;
  const tv = form === 'torchvision';
  const image = input({ name: 'input', shape: options.inputShape });
  const unitNames = (prefix: string) =>
    tv
      ? { conv: `${prefix}.0`, norm: `${prefix}.1`, act: `${prefix}.2` }
      : { conv: `${prefix}.conv`, norm: `${prefix}.bn`, act: `${prefix}.act` };
  const unit = { activation: 'relu6', kernelInitializer: MODERN_INIT.conv } as const;
  let y = convBnAct('stem', {
    ...unit,
    filters: makeDivisible(STEM_CHANNELS * alpha, ROUND_NEAREST),
    kernelSize: 3,
    strides: tv ? 2 : 1,
    names: unitNames(tv ? 'features.0' : 'conv1'),
  })(image);
  const blocks = INVERTED_RESIDUAL_SETTING.reduce((sum, [, , n]) => sum + n, 0);
  let index = 0;
  INVERTED_RESIDUAL_SETTING.forEach(([t, c, n, s], row) => {
    for (let i = 0; i < n; i++) {
      y = invertedResidual(tv ? `features.${index + 1}` : `stage${row + 1}.block${i + 1}`, {
        filters: makeDivisible(c * alpha, ROUND_NEAREST),
        expansion: t,
        strides: i === 0 ? s : 1,
        naming: tv ? 'torchvision' : 'paper',
        attention: options.attention ?? undefined,
        dropPath: dropPathRate(options.dropPath, index, blocks),
        kernelInitializer: MODERN_INIT.conv,
      })(y);
      index++;
    }
  });
  y = convBnAct('head', {
    ...unit,
    filters: makeDivisible(LAST_CHANNELS * Math.max(1, alpha), ROUND_NEAREST),
    kernelSize: 1,
    names: unitNames(tv ? `features.${blocks + 1}` : 'conv2'),
  })(y);
  const logits = classifierHead(y, {
    globalPool: 'avgpool',
    dropout: options.dropout,
    logitsDropout: tv ? 'classifier.0' : 'dropout',
    logitsName: tv ? 'classifier.1' : 'classifier',
    numClasses: options.numClasses,
    // torchvision's MobileNetV2 draws its classifier from N(0, 0.01), not nn.Linear's default.
    kernelInitializer: initializers.randomNormal({ mean: 0, stddev: 0.01 }),
  });
  return model({ name, inputs: image, outputs: logits });
}

/**
 * MobileNet v2 (Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", CVPR 2018,
 * Table 2) in torchvision's form and names (`features.3.conv.1.0`). Default input 224x224x3, 1000
 * classes; `widthMultiplier` scales every width (divisible by 8). Figures (torchvision):
 * 3,504,872 parameters, 0.30 G MACs, 71.88% top-1.
 */
export const mobilenetV2 = defineArchitecture<MobileNetV2Options>({
  name: 'mobilenet-v2',
  family: 'mobilenet',
  tags: ['imagenet', 'torchvision', 'mobile', 'residual'],
  description: "MobileNet v2: 17 inverted residuals with linear bottlenecks (the paper's t,c,n,s table), ReLU6, torchvision's layout",
  paper: MOBILENET_V2_PAPER,
  defaultInput: [224, 224, 3],
  reference: { params: 3_504_872, macs: 0.3e9, top1: 71.878, source: 'torchvision 0.14 model docs (ImageNet-1k, 224x224)' },
  options: imagenetOptions,
  build: (options) => buildMobileNetV2('mobilenet-v2', 'torchvision', options),
});

/**
 * MobileNet v2 for 32x32 inputs (CIFAR): the paper's table with a stride-1 stem, so the four
 * stride-2 rows end at 2x2; paper-structure names (`stage2.block1.expand.conv`). 10 classes;
 * 2,236,682 parameters at width 1.
 */
export const mobilenetV2Cifar = defineArchitecture<MobileNetV2Options>({
  name: 'mobilenet-v2-cifar',
  family: 'mobilenet',
  tags: ['cifar', 'mobile', 'residual'],
  description: "MobileNet v2's table with a stride-1 stem for 32x32 inputs",
  paper: MOBILENET_V2_PAPER,
  defaultInput: [32, 32, 3],
  options: mobilenetV2Options({ numClasses: 10, inputShape: [32, 32, 3] }),
  build: (options) => buildMobileNetV2('mobilenet-v2-cifar', 'cifar', options),
});
