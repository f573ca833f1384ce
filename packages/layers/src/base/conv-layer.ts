import { convMacs, type LayerAnalysis, type Shape } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import { type Nhwc, singleInput, singleShape } from './convkit-layer.js';
import type { IntPair } from './geometry.js';
import { type Fans, type InitializerSpec, resolveInitializer, serializeInitializer } from './initializers.js';
import { type SlidingWindowArgs, SlidingWindowLayer } from './sliding-window-layer.js';
import type { ConvCall } from './window-ops.js';

/** Options shared by convkit's convolutions. */
export interface ConvArgs extends SlidingWindowArgs {
  /** Spacing between kernel taps (atrous rate); default 1. Combines with any stride, as in PyTorch. */
  dilation?: IntPair;
  /** Add a per-channel bias; default true. Set false before batch norm, which has its own shift. */
  useBias?: boolean;
  /**
   * Kernel initializer; default `'heNormalFanOut'` (He et al., 2015, as torchvision initialises ReLU
   * networks). Use `'glorotUniform'` before a linear or sigmoid output.
   */
  kernelInitializer?: InitializerSpec;
  /** Bias initializer; default `'zeros'`. */
  biasInitializer?: InitializerSpec;
}

/** Geometry of one convolution step for its MAC count; output height/width default to the layer's. */
export interface ConvCost {
  kernelHeight: number;
  kernelWidth: number;
  groups?: number;
  outHeight?: number;
  outWidth?: number;
}

/**
 * A convolution: a sliding window with weights. Subclasses create their kernels in `build` through
 * {@link ConvLayer.addKernel}, compute the bias-free result in {@link ConvLayer.convolve} and say how
 * their cost decomposes into standard/grouped convolutions.
 */
export abstract class ConvLayer extends SlidingWindowLayer {
  /** The `useBias` option, defaults resolved. */
  readonly useBias: boolean;
  /** The `kernelInitializer` option, defaults resolved. */
  readonly kernelInitializer: InitializerSpec;
  /** The `biasInitializer` option, defaults resolved. */
  readonly biasInitializer: InitializerSpec;
  protected bias: LayerVariable | undefined;

  constructor(args: ConvArgs) {
    super(args, 1, args.dilation ?? 1);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'heNormalFanOut';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
  }

  /** Adds a kernel weight initialised by `kernelInitializer` with PyTorch's fans. */
  protected addKernel(name: string, shape: number[], fans: Fans): LayerVariable {
    return this.addWeight(name, shape, 'float32', resolveInitializer(this.kernelInitializer, fans));
  }

  /** Adds the bias (when `useBias`) for `channels` outputs. */
  protected addBias(channels: number): void {
    if (this.useBias)
      this.bias = this.addWeight('bias', [channels], 'float32', resolveInitializer(this.biasInitializer, { fanIn: 1, fanOut: 1 }));
  }

  /** The value of a kernel created in `build` (only read from `call`, which runs after `build`). */
  protected kernelValue(kernel: LayerVariable | undefined): tf.Tensor4D {
    return (kernel as LayerVariable).read() as tf.Tensor4D;
  }

  /** `y + bias` when the layer has a bias. */
  protected withBias(y: tf.Tensor4D): tf.Tensor4D {
    return this.bias ? tf.add(y, this.bias.read()) : y;
  }

  /**
   * The convolution without its bias, given the layer's strides and dilation and the explicit pads
   * that {@link SlidingWindowLayer.plan} resolved for this input's size.
   */
  protected abstract convolve(x: tf.Tensor4D, geometry: ConvCall): tf.Tensor4D;

  /**
   * Plans the pads for this input's size, runs {@link ConvLayer.convolve} and adds the bias: the same
   * for every convolution, so subclasses implement only `convolve`.
   */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const { pads } = this.plan(this.nhwc(x.shape));
      return this.withBias(this.convolve(x, { strides: this.strides, dilation: this.dilation, pads }));
    });
  }

  /** The convolutions the layer's cost is made of, as `[inChannels, outChannels, geometry]` steps. */
  protected abstract costSteps(input: Nhwc, outChannels: number): [number, number, ConvCost][];

  /** MACs of its convolutions at the output size (bias adds not counted, as published figures do). */
  override convkitAnalysis(inputShapes: Shape[], outputShape: Shape): LayerAnalysis {
    const input = singleShape(inputShapes as Shape[]);
    const [outHeight, outWidth, outChannels] = [outputShape[1] ?? 1, outputShape[2] ?? 1, outputShape[3] ?? 1];
    const macs = this.costSteps(input as Nhwc, outChannels).reduce(
      (sum, [inChannels, out, cost]) => sum + convMacs({ outHeight, outWidth, inChannels, outChannels: out, ...cost }),
      0,
    );
    return { macs, window: this.window() };
  }

  override getConfig() {
    return {
      dilation: [...this.dilation],
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      ...super.getConfig(),
    };
  }
}

/** Options of a convolution with a fixed number of output channels. */
export interface FiltersConvArgs extends ConvArgs {
  /** Output channels. */
  filters: number;
}

/**
 * A convolution whose output channel count is its `filters` option, whatever its input's (every
 * convkit convolution but the depthwise one, whose output channels follow its input).
 */
export abstract class FiltersConvLayer extends ConvLayer {
  /** The `filters` option: output channels. */
  readonly filters: number;

  constructor(args: FiltersConvArgs) {
    super(args);
    this.filters = args.filters;
    this.checkPositiveIntegers({ filters: this.filters });
  }

  protected outputChannels(): number {
    return this.filters;
  }
}
