import { architectureOptions, type BaseArchitectureOptions, defineArchitecture } from '@convkit/core';
import {
  AdaptiveAvgPool2d,
  classifierHead,
  convBnAct,
  dropoutOption,
  LocalResponseNorm,
  requireInputAtLeast,
  scaleWidth,
  widthMultiplierOption,
} from '@convkit/layers';
import { input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { z } from 'zod';
import { CLASSIC_INIT, classicNames } from './conventions.js';

/** Kernel, stride and padding of AlexNet's five convolutions (the paper's §3.5 and Figure 2). */
const ALEXNET_KERNELS = [
  { kernelSize: 11, strides: 4 },
  { kernelSize: 5, strides: 1 },
  { kernelSize: 3, strides: 1 },
  { kernelSize: 3, strides: 1 },
  { kernelSize: 3, strides: 1 },
] as const;

/** The max pools (3x3, stride 2: overlapping pooling, §3.4) follow these convolutions. */
const POOLED_AFTER = new Set([1, 2, 5]);

/** The paper's response normalization (§3.3): k = 2, n = 5, alpha = 1e-4, beta = 0.75, alpha on the sum of squares. */
const ALEXNET_LRN = { size: 5, alpha: 1e-4, beta: 0.75, k: 2, convention: 'alexnet' } as const;

/** One AlexNet network: the row of the table of forms that it builds. */
export interface AlexNetVariant {
  name: string;
  /** Filters of conv1 to conv5. */
  widths: readonly [number, number, number, number, number];
  /** Local response normalization after conv1 and conv2, before their pools. */
  lrn: boolean;
  /** Zero padding of conv1 on every side; the other convolutions keep their size ('same'). */
  conv1Padding: number;
  /** Adaptive average pool to 6x6 before the classifier, so any input size gives fc6 the same 9216 inputs. */
  adaptivePool: boolean;
  /** Where the dropout of fc6 and fc7 sits: after their ReLU (paper, Caffe) or before them (torchvision). */
  dropoutPlacement: 'before' | 'after';
}

/**
 * The paper's single-tower network, as the two GPU halves would be on one device, and torchvision's
 * (from Krizhevsky's "One weird trick" paper), into which PyTorch weights import.
 */
const ALEXNET_FORMS = {
  alexnet: {
    name: 'alexnet',
    widths: [96, 256, 384, 384, 256],
    lrn: true,
    conv1Padding: 0,
    adaptivePool: false,
    dropoutPlacement: 'after',
  },
  'alexnet-tv': {
    name: 'alexnet-tv',
    widths: [64, 192, 384, 256, 256],
    lrn: false,
    conv1Padding: 2,
    adaptivePool: true,
    dropoutPlacement: 'before',
  },
} as const satisfies Record<string, AlexNetVariant>;

/** Side below which three 3x3/2 pools after the 11x11/4 conv1 leave nothing, without conv1 padding. */
const ALEXNET_MIN_UNPADDED_INPUT = 67;

const alexnetOptions = (side: number) =>
  architectureOptions(
    { numClasses: 1000, inputShape: [side, side, 3] },
    { dropout: dropoutOption(0.5), widthMultiplier: widthMultiplierOption },
  );
const alexnetPaperOptions = alexnetOptions(227);
const alexnetTvOptions = alexnetOptions(224);

/** Options of `alexnet` and `alexnet-tv`. */
export type AlexNetOptions = BaseArchitectureOptions & z.output<typeof alexnetPaperOptions>;

/**
 * Builds an AlexNet: conv1 11x11/4 to conv5 with ReLU (`features.conv<i>`), optional LRN
 * (`features.lrn<i>`), overlapping max pools (`features.pool<i>`), then FC-4096, FC-4096 with ReLU
 * and dropout and the logits (`classifier.fc6` to `classifier.fc8`).
 */
export function buildAlexNet(variant: AlexNetVariant, options: AlexNetOptions): LayersModel {
  requireInputAtLeast(
    variant.name,
    options.inputShape,
    ALEXNET_MIN_UNPADDED_INPUT - 2 * variant.conv1Padding,
    'three 3x3/2 max pools after the 11x11/4 conv1',
  );
  const image = input({ name: 'input', shape: options.inputShape });
  let x: SymbolicTensor = image;
  if (variant.conv1Padding > 0) {
    x = layers.zeroPadding2d({ name: 'features.conv1.pad', padding: variant.conv1Padding }).apply(x) as SymbolicTensor;
  }
  ALEXNET_KERNELS.forEach(({ kernelSize, strides }, i) => {
    const n = i + 1;
    x = convBnAct(`features.conv${n}`, {
      filters: scaleWidth(variant.widths[i] as number, options.widthMultiplier),
      kernelSize,
      strides,
      padding: n === 1 ? 'valid' : 'same',
      norm: false,
      activation: 'relu',
      kernelInitializer: CLASSIC_INIT.conv,
      names: classicNames(`features.conv${n}`, 'relu'),
    })(x);
    if (variant.lrn && n <= 2) x = new LocalResponseNorm({ name: `features.lrn${n}`, ...ALEXNET_LRN }).apply(x) as SymbolicTensor;
    if (POOLED_AFTER.has(n)) x = layers.maxPooling2d({ name: `features.pool${n}`, poolSize: 3, strides: 2 }).apply(x) as SymbolicTensor;
  });
  if (variant.adaptivePool) x = new AdaptiveAvgPool2d({ name: 'avgpool', outputSize: 6 }).apply(x) as SymbolicTensor;
  const flat = layers.flatten({ name: 'flatten' }).apply(x) as SymbolicTensor;
  const logits = classifierHead(flat, {
    hidden: [
      { name: 'classifier.fc6', units: scaleWidth(4096, options.widthMultiplier) },
      { name: 'classifier.fc7', units: scaleWidth(4096, options.widthMultiplier) },
    ],
    logitsName: 'classifier.fc8',
    numClasses: options.numClasses,
    activation: 'relu',
    dropout: options.dropout,
    dropoutPlacement: variant.dropoutPlacement,
    kernelInitializer: CLASSIC_INIT.dense,
  });
  return model({ name: variant.name, inputs: image, outputs: logits });
}

const ALEXNET_PAPER = {
  title: 'ImageNet Classification with Deep Convolutional Neural Networks',
  year: 2012,
  url: 'https://papers.nips.cc/paper/4824',
};

/**
 * AlexNet as in Krizhevsky, Sutskever, Hinton, "ImageNet Classification with Deep Convolutional
 * Neural Networks", NeurIPS 2012, on one device: conv 96@11x11/4, 256@5x5, 384@3x3, 384@3x3,
 * 256@3x3 with ReLU, LRN (k=2, n=5, alpha=1e-4, beta=0.75) after conv1 and conv2, overlapping 3x3/2
 * max pools, FC-4096, FC-4096 with dropout 0.5, FC-1000. Default input 227x227x3: the paper says 224
 * but its 55x55 conv1 maps need 227 without padding (as in Caffe's reference model). Figures:
 * 62,378,344 parameters, 1.14 G MACs at 227x227; the paper's two-tower network, whose conv2, conv4
 * and conv5 see only their own GPU's half of the channels, has 60,965,224 ("60 million") and 40.7%
 * top-1 error (one model, ILSVRC-2012 validation). Other input sizes change fc6's input size.
 */
export const alexnet = defineArchitecture<AlexNetOptions>({
  name: 'alexnet',
  family: 'alexnet',
  tags: ['imagenet'],
  description: 'AlexNet as in the paper (single tower): 96-256-384-384-256 convs with LRN, 3 fully connected layers',
  paper: ALEXNET_PAPER,
  defaultInput: [227, 227, 3],
  reference: {
    top1: 59.3,
    source: 'Krizhevsky et al. 2012 (one CNN, ILSVRC-2012 validation); its "60 million parameters" are the two-tower count',
  },
  options: alexnetPaperOptions,
  build: (options) => buildAlexNet(ALEXNET_FORMS.alexnet, options),
});

/**
 * AlexNet in torchvision's form (`torchvision.models.alexnet`, after Krizhevsky's "One weird trick
 * for parallelizing convolutional neural networks", 2014), into which its ImageNet weights import:
 * conv 64@11x11/4 padded by 2, 192@5x5, 384, 256, 256@3x3, no LRN, 3x3/2 max pools, adaptive
 * average pool to 6x6, dropout before fc6 and fc7. Default input 224x224x3. Figures (torchvision):
 * 61,100,840 parameters, 0.71 G MACs, 56.522% top-1.
 */
export const alexnetTv = defineArchitecture<AlexNetOptions>({
  name: 'alexnet-tv',
  family: 'alexnet',
  tags: ['imagenet', 'torchvision'],
  description: "AlexNet in torchvision's form (64-192-384-256-256, no LRN, adaptive pool) for PyTorch weight import",
  paper: ALEXNET_PAPER,
  defaultInput: [224, 224, 3],
  reference: { params: 61_100_840, macs: 0.71e9, top1: 56.522, source: 'torchvision 0.14 model docs (ImageNet-1k, 224x224)' },
  options: alexnetTvOptions,
  build: (options) => buildAlexNet(ALEXNET_FORMS['alexnet-tv'], options),
});
