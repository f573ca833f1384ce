import { type AnalyzableLayer, ConvkitError, type LayerAnalysis, type Shape } from '@convkit/core';
import type * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape as TfShape } from '@tensorflow/tfjs-layers';

/** Options every convkit layer accepts (the subset of tfjs `LayerArgs` convkit layers use). */
export interface ConvkitLayerArgs {
  /** Layer name, unique within a model; convkit's builders name layers by their place in the paper's structure. */
  name?: string;
  /** Input shape without the batch axis, when the layer is the first of a `tf.sequential`. */
  inputShape?: TfShape;
  /** Input shape with the batch axis (what tfjs writes into saved configs). */
  batchInputShape?: TfShape;
  /** Whether the layer's weights are updated by training; default true. */
  trainable?: boolean;
}

/** A 4-D NHWC shape whose batch and spatial axes may be unknown. */
export type Nhwc = [number | null, number | null, number | null, number];

/** Number of elements of one example of `shape` (batch axis excluded); unknown axes count as 1. */
export function elementsPerExample(shape: Shape): number {
  return shape.slice(1).reduce<number>((acc, d) => acc * (d ?? 1), 1);
}

/** The first shape of a `Shape | Shape[]` argument, as tfjs passes them to single-input layers. */
export function singleShape(shape: TfShape | TfShape[]): TfShape {
  return Array.isArray(shape[0]) ? (shape[0] as TfShape) : (shape as TfShape);
}

/** The tensor of a single-input layer's `call` argument (tfjs passes a one-element array at times). */
export function singleInput<T extends tf.Tensor = tf.Tensor4D>(inputs: tf.Tensor | tf.Tensor[]): T {
  return (Array.isArray(inputs) ? inputs[0] : inputs) as T;
}

/** Renders a shape for error messages: `[null,7,7,3]` as `?x7x7x3`. */
export function formatShape(shape: readonly (number | null)[]): string {
  return shape.map((d) => d ?? '?').join('x');
}

/**
 * Base of every convkit layer: names the layer in its errors, checks NHWC input and gives element-wise
 * layers their analysis (one op per output element), so summaries never have to guess a convkit layer's cost.
 */
export abstract class ConvkitLayer extends layers.Layer implements AnalyzableLayer {
  /** `Conv2d "stem.conv"`, the prefix of every error this layer throws. */
  protected describe(): string {
    return `${this.getClassName().replace(/^convkit\./, '')} "${this.name}"`;
  }

  /** A {@link ConvkitError} naming this layer, the offending shape (when given) and the broken constraint. */
  protected error(code: string, problem: string, shape?: readonly (number | null)[]): ConvkitError {
    const seen = shape ? ` (input ${formatShape(shape)}, NHWC)` : '';
    return new ConvkitError(code, `${this.describe()}${seen}: ${problem}`);
  }

  /**
   * Throws `bad-option` for the first of `options` (in the order given) that is not a positive
   * integer: channel counts, groups and multipliers all share this rule and this message.
   */
  protected checkPositiveIntegers(options: Readonly<Record<string, number>>): void {
    for (const [option, value] of Object.entries(options)) {
      if (!Number.isInteger(value) || value < 1) throw this.error('bad-option', `${option} must be a positive integer, got ${value}`);
    }
  }

  /** Checks that `shape` is a rank-4 NHWC shape with a known channel count, and returns it. */
  protected nhwc(shape: TfShape | TfShape[]): Nhwc {
    const s = singleShape(shape);
    if (s.length !== 4) {
      throw this.error(
        'bad-rank',
        `expects a rank-4 NHWC input [batch, height, width, channels], got rank ${s.length}; add a batch axis or reshape`,
        s,
      );
    }
    if (s[3] == null) throw this.error('unknown-channels', 'the channel axis must be known when the layer is built', s);
    return s as Nhwc;
  }

  /** Element-wise cost by default; layers with windows or weights override it. */
  convkitAnalysis(_inputShapes: Shape[], outputShape: Shape): LayerAnalysis {
    return { macs: elementsPerExample(outputShape) };
  }
}
