import type { Shape as TfShape } from '@tensorflow/tfjs-layers';
import { RandomDrop } from './random-drop.js';

/** Inverted dropout of single elements (Srivastava et al., 2014). Identity outside training. */
export class Dropout extends RandomDrop {
  /** Serialization name. */
  static className = 'convkit.Dropout';
  protected maskShape(shape: number[]): number[] {
    return shape;
  }
}

/**
 * Spatial dropout (Tompson et al., 2015): drops whole channels of an NHWC map, since neighbouring
 * activations of a feature map are correlated and element dropout barely regularises them.
 */
export class SpatialDropout2d extends RandomDrop {
  /** Serialization name. */
  static className = 'convkit.SpatialDropout2d';

  /** Checks for NHWC input when the model is built; maskShape alone would only check at the first training step. */
  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return this.nhwc(inputShape);
  }

  protected maskShape(shape: number[]): number[] {
    const [n, , , c] = this.nhwc(shape) as number[];
    return [n as number, 1, 1, c as number];
  }
}

/**
 * Drop-path / stochastic depth (Huang et al., 2016; timm's `DropPath`): drops a residual branch for
 * whole examples, to be applied to the branch before the residual add. `rate` is the drop probability
 * of this block (a linear rule over depth is the usual schedule).
 */
export class DropPath extends RandomDrop {
  /** Serialization name. */
  static className = 'convkit.DropPath';
  protected maskShape(shape: number[]): number[] {
    return [shape[0] as number, ...shape.slice(1).map(() => 1)];
  }
}
