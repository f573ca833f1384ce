import { architectureOptions, type BaseArchitectureOptions, defineArchitecture } from '@convkit/core';
import { classifierHead, convBnAct, scaleWidth, widthMultiplierOption } from '@convkit/layers';
import { input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { CLASSIC_INIT, classicNames } from './conventions.js';

/** Widths of LeNet-5's trainable layers, as in Figure 2 of the paper: C1, C3, C5 feature maps and F6 units. */
const LENET5_WIDTHS = { c1: 6, c3: 16, c5: 120, f6: 84 } as const;

/** Side of LeNet-5's input plane; smaller inputs are zero-padded up to it, as the paper did with MNIST's 28x28 digits. */
const LENET5_INPUT_SIDE = 32;

const lenet5Options = architectureOptions(
  { numClasses: 10, inputShape: [32, 32, 1] },
  {
    activation: z.enum(['tanh', 'relu']).default('tanh'),
    pooling: z.enum(['avg', 'max']).default('avg'),
    widthMultiplier: widthMultiplierOption,
  },
);

/** Options of {@link lenet5}. */
export type LeNet5Options = BaseArchitectureOptions & z.output<typeof lenet5Options>;

/** Zero padding that brings a side smaller than 32 up to 32, split as evenly as possible. */
function paddingTo32(side: number): [number, number] {
  const total = Math.max(0, LENET5_INPUT_SIDE - side);
  return [Math.floor(total / 2), Math.ceil(total / 2)];
}

/**
 * Builds LeNet-5: C1 6@5x5, S2 2x2 subsampling, C3 16@5x5, S4, C5 120@5x5, F6 84, output layer.
 * C3 connects to all six S2 maps (the paper's partial connection table is left out, as in the
 * modern literature), S2/S4 are plain pooling without the paper's trainable coefficients, and the
 * output layer is a fully connected layer giving logits where the paper had Euclidean RBF units.
 * Inputs smaller than 32x32 are zero-padded to 32x32 (28x28 MNIST digits get 2 pixels each side);
 * larger ones give C5 more than one position, all of which F6 sees.
 */
export function buildLeNet5(options: LeNet5Options): LayersModel {
  const { activation, widthMultiplier } = options;
  const width = (channels: number) => scaleWidth(channels, widthMultiplier);
  const pool = options.pooling === 'avg' ? layers.averagePooling2d : layers.maxPooling2d;
  const image = input({ name: 'input', shape: options.inputShape });
  const [inputHeight, inputWidth] = options.inputShape;
  let x: SymbolicTensor = image;
  if (inputHeight < LENET5_INPUT_SIDE || inputWidth < LENET5_INPUT_SIDE) {
    x = layers.zeroPadding2d({ name: 'pad', padding: [paddingTo32(inputHeight), paddingTo32(inputWidth)] }).apply(x) as SymbolicTensor;
  }
  const conv = (input: SymbolicTensor, name: string, filters: number) =>
    convBnAct(name, {
      filters: width(filters),
      kernelSize: 5,
      padding: 'valid',
      norm: false,
      activation,
      kernelInitializer: CLASSIC_INIT.conv,
      names: classicNames(name, activation),
    })(input);
  x = conv(x, 'c1', LENET5_WIDTHS.c1);
  x = pool({ name: 's2', poolSize: 2, strides: 2 }).apply(x) as SymbolicTensor;
  x = conv(x, 'c3', LENET5_WIDTHS.c3);
  x = pool({ name: 's4', poolSize: 2, strides: 2 }).apply(x) as SymbolicTensor;
  x = conv(x, 'c5', LENET5_WIDTHS.c5);
  x = layers.flatten({ name: 'flatten' }).apply(x) as SymbolicTensor;
  const logits = classifierHead(x, {
    hidden: [{ name: 'f6', units: width(LENET5_WIDTHS.f6) }],
    logitsName: 'output',
    numClasses: options.numClasses,
    activation,
    kernelInitializer: CLASSIC_INIT.dense,
  });
  return model({ name: 'lenet5', inputs: image, outputs: logits });
}

/**
 * LeNet-5 — LeCun, Bottou, Bengio, Haffner, "Gradient-Based Learning Applied to Document
 * Recognition", Proc. IEEE 1998. Default input 32x32x1, 10 classes; 28x28 inputs are padded by 2.
 * Reference figures: 61,706 trainable parameters (6x5²x1 + 16x5²x6 + 120x5²x16 + 84x120 + 10x84
 * weights plus 286 biases) and 416,520 multiply–accumulates in its convolutions and fully connected
 * layers; the paper reports 0.95% test error on MNIST. Options: `activation` `tanh` (paper) or
 * `relu`, `pooling` `avg` (paper) or `max`, `widthMultiplier`.
 */
export const lenet5 = defineArchitecture<LeNet5Options>({
  name: 'lenet5',
  family: 'lenet',
  tags: ['mnist'],
  description: 'LeNet-5 (LeCun et al. 1998): 2 conv + 3 fully connected layers for 32x32 digits',
  paper: {
    title: 'Gradient-Based Learning Applied to Document Recognition',
    year: 1998,
    url: 'http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf',
  },
  defaultInput: [32, 32, 1],
  reference: { params: 61_706, top1: 99.05, source: 'LeCun et al. 1998 (MNIST test error 0.95%); parameter formula of the literature' },
  options: lenet5Options,
  build: buildLeNet5,
});
