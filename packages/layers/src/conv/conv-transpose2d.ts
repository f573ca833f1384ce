import type { LayerAnalysis, Shape } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable, Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, type Nhwc, singleInput, singleShape } from '../base/convkit-layer.js';
import { axisPadding, checkedPadding, checkedPair, type IntPair, type Pads } from '../base/geometry.js';
import { type InitializerSpec, resolveInitializer, serializeInitializer } from '../base/initializers.js';

/** Options of {@link ConvTranspose2d}; the geometry is PyTorch's `ConvTranspose2d`. */
export interface ConvTranspose2dArgs extends ConvkitLayerArgs {
  /** Output channels. */
  filters: number;
  /** Kernel height and width. */
  kernelSize: IntPair;
  /** Upsampling factor; default 1. */
  strides?: IntPair;
  /**
   * Rows/columns cropped from the full transposed convolution: `p`, `[ph, pw]` (PyTorch's `padding`)
   * or `[[top, bottom], [left, right]]`; default 0.
   */
  padding?: number | [number, number] | Pads;
  /** Extra rows/columns added at the bottom/right (PyTorch's `output_padding`, smaller than the stride); default 0. */
  outputPadding?: IntPair;
  /** Default true. */
  useBias?: boolean;
  /** Default `'heNormalFanOut'`. */
  kernelInitializer?: InitializerSpec;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerSpec;
}

/**
 * Transposed convolution (the gradient of a convolution with respect to its input), with PyTorch's
 * output size `(in - 1) * stride - padBefore - padAfter + kernel + outputPadding`. Kernel
 * `[kh, kw, filters, cin]`, PyTorch's `[cin, filters, kh, kw]` transposed. Dilation and groups are not
 * offered: tfjs's transposed convolution has neither.
 */
export class ConvTranspose2d extends ConvkitLayer {
  /** Serialization name. */
  static className = 'convkit.ConvTranspose2d';
  /** The `filters` option, defaults resolved. */
  readonly filters: number;
  /** The `kernelSize` option, defaults resolved. */
  readonly kernelSize: [number, number];
  /** The `strides` option, defaults resolved. */
  readonly strides: [number, number];
  /** The `padding` option, defaults resolved. */
  readonly padding: Pads;
  /** The `outputPadding` option, defaults resolved. */
  readonly outputPadding: [number, number];
  /** The `useBias` option, defaults resolved. */
  readonly useBias: boolean;
  /** The `kernelInitializer` option, defaults resolved. */
  readonly kernelInitializer: InitializerSpec;
  /** The `biasInitializer` option, defaults resolved. */
  readonly biasInitializer: InitializerSpec;
  private kernel: LayerVariable | undefined;
  private bias: LayerVariable | undefined;

  constructor(args: ConvTranspose2dArgs) {
    super(args);
    this.filters = args.filters;
    this.checkPositiveIntegers({ filters: this.filters });
    this.kernelSize = checkedPair(this.describe(), 'kernelSize', args.kernelSize);
    this.strides = checkedPair(this.describe(), 'strides', args.strides ?? 1);
    const padding = checkedPadding(this.describe(), args.padding ?? 0);
    // checkedPadding accepts the window ops' 'same'/'valid', which crop nothing defined here: refuse
    // them now, since as pads they turn every planned size into NaN.
    if (typeof padding === 'string') {
      throw this.error(
        'bad-option',
        `padding must be p, [ph, pw] or [[top, bottom], [left, right]] with non-negative integers (rows/columns cropped, as PyTorch's padding), got "${padding}"`,
      );
    }
    this.padding = [0, 1].map((axis) => {
      const p = axisPadding(padding, axis as 0 | 1);
      return typeof p === 'number' ? [p, p] : p;
    }) as Pads;
    this.outputPadding = checkedPair(this.describe(), 'outputPadding', args.outputPadding ?? 0, 0);
    if (this.outputPadding.some((p, i) => p >= (this.strides[i] as number))) {
      throw this.error(
        'bad-option',
        `outputPadding ${JSON.stringify(this.outputPadding)} must be smaller than strides ${JSON.stringify(this.strides)}`,
      );
    }
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'heNormalFanOut';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
  }

  /** Full (uncropped) and final size along axis `i` for input length `size`. */
  private axisSizes(size: number, i: 0 | 1): { full: number; out: number } {
    const full = (size - 1) * this.strides[i] + this.kernelSize[i];
    const [before, after] = this.padding[i];
    return { full, out: full - before - after + this.outputPadding[i] };
  }

  private outputSize(shape: Nhwc): [number | null, number | null] {
    return ([0, 1] as const).map((i) => {
      const size = shape[i + 1];
      if (size == null) return null;
      const { out } = this.axisSizes(size, i);
      if (out < 1) {
        throw this.error(
          'kernel-too-large',
          `padding ${JSON.stringify(this.padding)} crops more than the transposed output has (${out} left on the ${i === 0 ? 'height' : 'width'} axis); reduce the padding`,
          shape,
        );
      }
      return out;
    }) as [number | null, number | null];
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const shape = this.nhwc(inputShape);
    const [h, w] = this.outputSize(shape);
    return [shape[0], h, w, this.filters];
  }

  override build(inputShape: TfShape | TfShape[]): void {
    const channels = this.nhwc(inputShape)[3];
    const [kh, kw] = this.kernelSize;
    const fans = { fanIn: channels * kh * kw, fanOut: this.filters * kh * kw };
    this.kernel = this.addWeight('kernel', [kh, kw, this.filters, channels], 'float32', resolveInitializer(this.kernelInitializer, fans));
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', resolveInitializer(this.biasInitializer, fans));
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const shape = this.nhwc(x.shape);
      const [outH, outW] = this.outputSize(shape) as [number, number];
      const [n, h, w] = x.shape;
      const fullH = this.axisSizes(h, 0).full;
      const fullW = this.axisSizes(w, 1).full;
      const kernel = (this.kernel as LayerVariable).read() as tf.Tensor4D;
      let y = tf.conv2dTranspose(x, kernel, [n, fullH, fullW, this.filters], this.strides, 'valid');
      const [top, left] = [this.padding[0][0], this.padding[1][0]];
      // output padding can reach past the full result; those rows/columns get no input, only the bias.
      const [growH, growW] = [Math.max(0, top + outH - fullH), Math.max(0, left + outW - fullW)];
      if (growH > 0 || growW > 0)
        y = tf.pad(y, [
          [0, 0],
          [0, growH],
          [0, growW],
          [0, 0],
        ]);
      y = tf.slice(y, [0, top, left, 0], [-1, outH, outW, -1]);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  /** Each input pixel scatters a `kh x kw x filters` patch, so the cost follows the input (as core counts `Conv2DTranspose`). */
  override convkitAnalysis(inputShapes: Shape[]): LayerAnalysis {
    const input = singleShape(inputShapes as Shape[]);
    return { macs: (input[1] ?? 1) * (input[2] ?? 1) * (input[3] ?? 1) * this.kernelSize[0] * this.kernelSize[1] * this.filters };
  }

  override getConfig() {
    return {
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding.map((p) => [...p]),
      outputPadding: [...this.outputPadding],
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      ...super.getConfig(),
    };
  }
}
