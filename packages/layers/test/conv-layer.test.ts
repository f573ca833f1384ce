import { summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, type LayerVariable, model, type Shape as TfShape } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
// Only the package's public entry point, as a third-party convolution would import it.
import { Conv2d, type ConvCall, type ConvCost, FiltersConvLayer, type Nhwc } from '../src/index.js';
import { maxAbsDiff } from './support/fixtures.js';
import './support/setup.js';

/** An undilated convolution written the way the FiltersConvLayer docs say: build, convolve and costSteps. */
class PlainConv extends FiltersConvLayer {
  static className = 'test.PlainConv';
  private kernel: LayerVariable | undefined;

  override build(inputShape: TfShape | TfShape[]): void {
    const channels = this.nhwc(inputShape)[3];
    const [kh, kw] = this.kernelSize;
    this.kernel = this.addKernel('kernel', [kh, kw, channels, this.filters], { fanIn: channels * kh * kw, fanOut: this.filters * kh * kw });
    this.addBias(this.filters);
    super.build(inputShape);
  }

  protected convolve(x: tf.Tensor4D, { strides, pads }: ConvCall): tf.Tensor4D {
    return tf.conv2d(tf.pad(x, [[0, 0], pads[0], pads[1], [0, 0]]), this.kernelValue(this.kernel), strides, 'valid');
  }

  protected costSteps(input: Nhwc, outChannels: number): [number, number, ConvCost][] {
    return [[input[3], outChannels, { kernelHeight: this.kernelSize[0], kernelWidth: this.kernelSize[1] }]];
  }
}

describe('FiltersConvLayer as a base for a new convolution, from the public API alone', () => {
  test('gets padding, bias and MAC counting from the base: it equals Conv2d given the same weights', () => {
    const options = { filters: 4, kernelSize: 3, strides: 2, padding: 1 } as const;
    const x = tf.randomNormal([1, 7, 6, 3], 0, 1, 'float32', 5);
    const plain = new PlainConv(options);
    const reference = new Conv2d(options);
    plain.build(x.shape);
    reference.build(x.shape);
    reference.setWeights(plain.getWeights());
    const a = plain.apply(x) as tf.Tensor;
    const b = reference.apply(x) as tf.Tensor;
    expect(a.shape).toEqual([1, 4, 3, 4]);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-5);
    const macs = (layer: FiltersConvLayer) => {
      const symbolic = input({ shape: [7, 6, 3] });
      return summarizeModel(model({ inputs: symbolic, outputs: layer.apply(symbolic) as never })).layers[1]?.macs;
    };
    expect(macs(new PlainConv(options))).toBe(macs(new Conv2d(options)));
  });
});
