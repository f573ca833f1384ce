import { channelConcat, convBnAct, scaleWidth } from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { CLASSIC_INIT, type ConvNormalization, classicNames } from './conventions.js';

/**
 * Widths of one Inception module, in the column order of Table 1 of the GoogLeNet paper:
 * `#1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj`.
 */
export type InceptionWidths = readonly [number, number, number, number, number, number];

/** The parts of an Inception module that differ between GoogLeNet forms. */
export interface InceptionStyle {
  normalization: ConvNormalization;
  /** Kernel of the "5x5" branch: 5 in the paper, 3 in torchvision (kept there for weight compatibility). */
  wideKernel: 5 | 3;
  /** Scales every branch's widths (see `widthMultiplier`). */
  widthMultiplier: number;
}

/**
 * An Inception module (GoogLeNet paper, Figure 2b): four parallel branches — 1x1; 1x1 reduce then
 * 3x3; 1x1 reduce then 5x5; 3x3/1 max pool then 1x1 projection — concatenated along channels.
 * Layers are named `<name>.1x1`, `<name>.3x3_reduce`, `<name>.3x3`, `<name>.5x5_reduce`,
 * `<name>.5x5`, `<name>.pool`, `<name>.pool_proj` and `<name>.concat`.
 */
export function inceptionModule(x: SymbolicTensor, name: string, widths: InceptionWidths, style: InceptionStyle): SymbolicTensor {
  const [n1x1, n3x3Reduce, n3x3, n5x5Reduce, n5x5, poolProj] = widths;
  const conv = (input: SymbolicTensor, branch: string, filters: number, kernelSize: number) =>
    convBnAct(`${name}.${branch}`, {
      filters: scaleWidth(filters, style.widthMultiplier),
      kernelSize,
      padding: 'same',
      activation: 'relu',
      ...style.normalization,
      kernelInitializer: CLASSIC_INIT.conv,
      names: classicNames(`${name}.${branch}`, 'relu'),
    })(input);
  const branch1 = conv(x, '1x1', n1x1, 1);
  const branch2 = conv(conv(x, '3x3_reduce', n3x3Reduce, 1), '3x3', n3x3, 3);
  const branch3 = conv(conv(x, '5x5_reduce', n5x5Reduce, 1), '5x5', n5x5, style.wideKernel);
  const pooled = layers.maxPooling2d({ name: `${name}.pool`, poolSize: 3, strides: 1, padding: 'same' }).apply(x) as SymbolicTensor;
  const branch4 = conv(pooled, 'pool_proj', poolProj, 1);
  return channelConcat(`${name}.concat`)([branch1, branch2, branch3, branch4]);
}
