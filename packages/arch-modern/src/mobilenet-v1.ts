import { architectureOptions, type BaseArchitectureOptions, defineArchitecture } from '@convkit/core';
import { classifierHead, convBnAct, depthwiseSeparable, requireInputAtLeast, scaleWidth, widthMultiplierOption } from '@convkit/layers';
import { input, type LayersModel, model } from '@tensorflow/tfjs-layers';
import type { z } from 'zod';
import { MODERN_INIT } from './conventions.js';

/**
 * Table 1 of the MobileNets paper: after the full 3x3 convolution (32 channels, stride 2), thirteen
 * depthwise-separable units, each a 3x3 depthwise convolution of the given stride and a 1x1
 * pointwise one to the given channels, BN and ReLU after both (Fig. 3). The table's last `Conv dw / s2`
 * keeps the 7x7 map its output column shows, so it is stride 1, as in every implementation.
 */
// biome-ignore format: the paper's table, one row per depthwise-separable unit
const MOBILENET_V1_BODY = [
  // pointwise channels, depthwise stride
  [64,   1],
  [128,  2],
  [128,  1],
  [256,  2],
  [256,  1],
  [512,  2],
  [512,  1], [512, 1], [512, 1], [512, 1], [512, 1],
  [1024, 2],
  [1024, 1],
] as const;
const STEM_CHANNELS = 32;

const MOBILENET_V1_PAPER = {
  title: 'MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications',
  year: 2017,
  url: 'https://arxiv.org/abs/1704.04861',
};

const mobilenetV1Options = (defaults: { numClasses: number; inputShape: [number, number, number] }) =>
  architectureOptions(defaults, {
    /** The paper's width multiplier alpha (1, 0.75, 0.5, 0.25): every layer's channels times alpha. */
    widthMultiplier: widthMultiplierOption,
  });
const imagenetOptions = mobilenetV1Options({ numClasses: 1000, inputShape: [224, 224, 3] });

/** Options of MobileNet v1 (`mobilenet-v1`, `mobilenet-v1-cifar`). The resolution multiplier rho is the input size: 224 rho. */
export type MobileNetV1Options = BaseArchitectureOptions & z.output<typeof imagenetOptions>;

/**
 * Builds MobileNet v1 (Howard et al. 2017): `conv1.conv|bn|act`, units `block<i>.dw.*` and
 * `block<i>.pw.*` (see `depthwiseSeparable`), global average pool and the classifier. `stemStride` is 2
 * for ImageNet inputs, 1 for the CIFAR form.
 */
export function buildMobileNetV1(name: string, stemStride: 1 | 2, options: MobileNetV1Options): LayersModel {
  const downsampling = stemStride * 2 ** MOBILENET_V1_BODY.filter(([, s]) => s === 2).length;
  requireInputAtLeast(name, options.inputShape, downsampling, `${Math.log2(downsampling)} stride-2 layers`);
  const width = (channels: number) => scaleWidth(channels, options.widthMultiplier);
  const image = input({ name: 'input', shape: options.inputShape });
  let y = convBnAct('conv1', { filters: width(STEM_CHANNELS), kernelSize: 3, strides: stemStride, kernelInitializer: MODERN_INIT.conv })(
    image,
  );
  MOBILENET_V1_BODY.forEach(([filters, strides], i) => {
    y = depthwiseSeparable(`block${i + 1}`, { filters: width(filters), strides, kernelInitializer: MODERN_INIT.conv })(y);
  });
  const logits = classifierHead(y, {
    globalPool: 'avgpool',
    logitsName: 'classifier',
    numClasses: options.numClasses,
    kernelInitializer: MODERN_INIT.dense,
  });
  return model({ name, inputs: image, outputs: logits });
}

/**
 * MobileNet v1 (Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
 * Applications", 2017, Table 1). Default input 224x224x3 (the resolution multiplier rho is the input
 * size, 224 rho: 192, 160 or 128), 1000 classes, width multiplier alpha as `widthMultiplier`.
 * Figures at alpha 1: 4,231,976 parameters (the paper's 4.2M), 569 M multiply-adds (Table 8), 70.6% top-1.
 */
export const mobilenetV1 = defineArchitecture<MobileNetV1Options>({
  name: 'mobilenet-v1',
  family: 'mobilenet',
  tags: ['imagenet', 'mobile'],
  description: 'MobileNet v1: a 3x3 convolution and 13 depthwise-separable units (alpha: widthMultiplier, rho: the input size)',
  paper: MOBILENET_V1_PAPER,
  defaultInput: [224, 224, 3],
  reference: { params: 4_231_976, macs: 569e6, top1: 70.6, source: 'Howard et al. 2017, Table 8 (4.2M parameters, 569M mult-adds)' },
  options: imagenetOptions,
  build: (options) => buildMobileNetV1('mobilenet-v1', 2, options),
});

/**
 * MobileNet v1 for 32x32 inputs (CIFAR): Table 1 with a stride-1 first convolution, so the four
 * stride-2 units end at 2x2. 10 classes; 3,217,226 parameters at alpha 1.
 */
export const mobilenetV1Cifar = defineArchitecture<MobileNetV1Options>({
  name: 'mobilenet-v1-cifar',
  family: 'mobilenet',
  tags: ['cifar', 'mobile'],
  description: "MobileNet v1's table with a stride-1 first convolution for 32x32 inputs",
  paper: MOBILENET_V1_PAPER,
  defaultInput: [32, 32, 3],
  options: mobilenetV1Options({ numClasses: 10, inputShape: [32, 32, 3] }),
  build: (options) => buildMobileNetV1('mobilenet-v1-cifar', 1, options),
});
