import type { LayerAnalysis, Shape, SlidingWindow } from '@convkit/core';
import type { Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, elementsPerExample, type Nhwc } from './convkit-layer.js';
import { type AxisPlan, axisPadding, checkedPadding, checkedPair, type IntPair, type Padding2d, type Pads, planAxis } from './geometry.js';

/** Window options shared by convolutions and pooling. */
export interface SlidingWindowArgs extends ConvkitLayerArgs {
  /** Window height and width (one number for both). */
  kernelSize: IntPair;
  /** Step between windows; default 1 for convolutions, the kernel size for pooling. */
  strides?: IntPair;
  /** Zero padding; default `'valid'` (PyTorch's `padding=0`). See {@link Padding2d}. */
  padding?: Padding2d;
}

/** Output size and the padding that produces it, for one input size. */
export interface WindowPlan {
  out: [number | null, number | null];
  /** Zeros added around the input, ceil-mode overhang included. */
  pads: Pads;
  /** The part of `pads` that is ceil-mode overhang, not padding the user asked for. */
  overhang: Pads;
}

/**
 * A layer that slides a window over height and width: validates its geometry at construction, plans
 * output sizes and explicit pads for any input size, names itself in geometry errors and reports its
 * window to the receptive-field analysis.
 */
export abstract class SlidingWindowLayer extends ConvkitLayer {
  /** The `kernelSize` option, defaults resolved. */
  readonly kernelSize: [number, number];
  /** The `strides` option, defaults resolved. */
  readonly strides: [number, number];
  /** The `padding` option, defaults resolved. */
  readonly padding: Padding2d;
  /** Spacing between kernel taps (1 for pooling). */
  readonly dilation: [number, number];
  /** Round output sizes up (pooling's `ceilMode`; false for convolutions). */
  readonly ceilMode: boolean;

  constructor(args: SlidingWindowArgs, defaultStrides: IntPair, dilation: IntPair = 1, ceilMode = false) {
    super(args);
    this.kernelSize = checkedPair(this.describe(), 'kernelSize', args.kernelSize);
    this.strides = checkedPair(this.describe(), 'strides', args.strides ?? defaultStrides);
    this.dilation = checkedPair(this.describe(), 'dilation', dilation);
    this.padding = checkedPadding(this.describe(), args.padding ?? 'valid');
    this.ceilMode = ceilMode;
  }

  /** Output channels for `inputChannels` input channels. */
  protected abstract outputChannels(inputChannels: number): number;

  /** Output size and explicit pads for an NHWC input shape; throws naming the layer when the window does not fit. */
  protected plan(shape: Nhwc): WindowPlan {
    const axes = ([1, 2] as const).map((axis): AxisPlan | undefined => {
      const size = shape[axis];
      if (size == null) return undefined;
      const i = axis - 1;
      const spec = {
        kernel: this.kernelSize[i] as number,
        stride: this.strides[i] as number,
        dilation: this.dilation[i] as number,
        padding: axisPadding(this.padding, i as 0 | 1),
        ceilMode: this.ceilMode,
      };
      return planAxis(this.describe(), shape, size, spec, axis === 1 ? 'height' : 'width');
    });
    const [h, w] = axes;
    return {
      out: [h?.out ?? null, w?.out ?? null],
      pads: [
        [h?.before ?? 0, (h?.after ?? 0) + (h?.extra ?? 0)],
        [w?.before ?? 0, (w?.after ?? 0) + (w?.extra ?? 0)],
      ],
      overhang: [
        [0, h?.extra ?? 0],
        [0, w?.extra ?? 0],
      ],
    };
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const shape = this.nhwc(inputShape);
    const { out } = this.plan(shape);
    return [shape[0], out[0], out[1], this.outputChannels(shape[3])];
  }

  /** The layer's window, for receptive fields. */
  protected window(): SlidingWindow {
    return { kernel: [...this.kernelSize], stride: [...this.strides], dilation: [...this.dilation] };
  }

  /** One op per window element per output element (pooling); convolutions override with their MACs. */
  override convkitAnalysis(_inputShapes: Shape[], outputShape: Shape): LayerAnalysis {
    return { macs: elementsPerExample(outputShape) * this.kernelSize[0] * this.kernelSize[1], window: this.window() };
  }

  override getConfig() {
    return {
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      ...super.getConfig(),
    };
  }
}
