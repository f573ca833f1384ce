import { backend_util } from '@tensorflow/tfjs-core';
import { ConvkitError } from '../errors.js';

/** Attributes that tfjs passes to every 2-D convolution gradient kernel. */
export interface ConvGradientAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
  dataFormat?: 'NHWC' | 'NCHW';
}

/** Sizes, strides, dilations and resolved padding of one 2-D convolution, NHWC. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

type Shape4 = [number, number, number, number];

/**
 * Resolves the geometry of the forward convolution whose gradient a kernel computes, with tfjs's own
 * padding and rounding rules so that kernels agree with tfjs on every `pad` form.
 */
export function convGeometry(
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvGradientAttrs,
  depthwise: boolean,
): ConvGeometry {
  if (attrs.dataFormat === 'NCHW') {
    throw new ConvkitError(
      'unsupported-data-format',
      'convkit convolution gradient kernels got dataFormat "NCHW"; expected "NHWC" (tfjs native); transpose the input to NHWC',
    );
  }
  const info = backend_util.computeConv2DInfo(
    inShape as Shape4,
    filterShape as Shape4,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Multiply-adds of the forward convolution; each gradient kernel does the same amount of work. */
export function convMultiplyAdds(g: ConvGeometry, depthwise: boolean): number {
  const perOutput = g.filterHeight * g.filterWidth * (depthwise ? 1 : g.inChannels);
  return g.batch * g.outHeight * g.outWidth * g.outChannels * perOutput;
}
