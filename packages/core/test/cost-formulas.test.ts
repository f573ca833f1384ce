import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { convMacs, convParams, denseParams, depthwiseSeparableCostRatio, fullyConnectedVsConvParamRatio } from '../src/index.js';

describe('parameter formulas agree with tfjs countParams()', () => {
  it('conv 3x3 64->128 with bias has 73,856 parameters', () => {
    const layer = tfl.layers.conv2d({ filters: 128, kernelSize: 3 });
    layer.build([null, 8, 8, 64]);
    expect(convParams({ outHeight: 8, outWidth: 8, kernelHeight: 3, kernelWidth: 3, inChannels: 64, outChannels: 128 })).toBe(73_856);
    expect(layer.countParams()).toBe(73_856);
  });

  it('depthwise 3x3 over 32 channels without bias is a 32-group conv with 288 parameters', () => {
    const layer = tfl.layers.depthwiseConv2d({ kernelSize: 3, useBias: false });
    layer.build([null, 8, 8, 32]);
    const geometry = {
      outHeight: 8,
      outWidth: 8,
      kernelHeight: 3,
      kernelWidth: 3,
      inChannels: 32,
      outChannels: 32,
      groups: 32,
      useBias: false,
    };
    expect(convParams(geometry)).toBe(layer.countParams());
    expect(layer.countParams()).toBe(288);
  });

  it('dense 120 -> 84 has 10,164 parameters', () => {
    const layer = tfl.layers.dense({ units: 84 });
    layer.build([null, 120]);
    expect(denseParams(120, 84)).toBe(layer.countParams());
  });
});

describe('cost formulas from the literature', () => {
  it('conv MACs: VGG-16 conv1_1 at 224 is 224*224*64*3*3*3 = 86.7M', () => {
    expect(convMacs({ outHeight: 224, outWidth: 224, kernelHeight: 3, kernelWidth: 3, inChannels: 3, outChannels: 64 })).toBe(86_704_128);
  });

  it('grouped conv costs 1/groups of the dense one (ResNeXt 32 groups)', () => {
    const base = { outHeight: 14, outWidth: 14, kernelHeight: 3, kernelWidth: 3, inChannels: 256, outChannels: 256 };
    expect(convMacs({ ...base, groups: 32 }) * 32).toBe(convMacs(base));
  });

  it('depthwise-separable 3x3 to 512 channels costs 1/512 + 1/9 of a standard conv (~8-9x cheaper)', () => {
    const ratio = depthwiseSeparableCostRatio(512, 3);
    expect(ratio).toBeCloseTo(1 / 512 + 1 / 9, 12);
    const standard = convMacs({ outHeight: 14, outWidth: 14, kernelHeight: 3, kernelWidth: 3, inChannels: 512, outChannels: 512 });
    const depthwise = convMacs({
      outHeight: 14,
      outWidth: 14,
      kernelHeight: 3,
      kernelWidth: 3,
      inChannels: 512,
      outChannels: 512,
      groups: 512,
    });
    const pointwise = convMacs({ outHeight: 14, outWidth: 14, kernelHeight: 1, kernelWidth: 1, inChannels: 512, outChannels: 512 });
    expect((depthwise + pointwise) / standard).toBeCloseTo(ratio, 12);
  });

  it('a dense map of a 32x32 image costs (32*32)^2/3^2 times the weights of a 3x3 conv', () => {
    const ratio = fullyConnectedVsConvParamRatio(32, 32, 3);
    expect(ratio).toBeCloseTo(116_508.44, 1);
    const fullyConnected = 32 * 32 * 16 * (32 * 32 * 16);
    const conv = 3 * 3 * 16 * 16;
    expect(fullyConnected / conv).toBeCloseTo(ratio, 6);
  });
});
