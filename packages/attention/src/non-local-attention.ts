import type { LayerAnalysis, Shape } from '@convkit/core';
import { ConvkitLayer, type ConvkitLayerArgs, type Nhwc } from '@convkit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, type Shape as TfShape } from '@tensorflow/tfjs-layers';

/**
 * The pairwise function f of a non-local block (Wang et al. 2018, Sec. 3.2), with its normalisation:
 * - `gaussian`: `exp(x_i . x_j)` over the raw input, normalised by a softmax over j;
 * - `embedded`: `exp(theta(x_i) . phi(x_j))`, softmax over j (the self-attention form);
 * - `dot`: `theta(x_i) . phi(x_j) / N`, N the number of positions j;
 * - `concatenation`: `ReLU(w . [theta(x_i), phi(x_j)]) / N`, w a learned vector of 2C' weights.
 */
export type PairwiseFunction = 'gaussian' | 'embedded' | 'dot' | 'concatenation';

/** The pairwise functions, in the paper's order. */
export const PAIRWISE_FUNCTIONS = ['gaussian', 'embedded', 'dot', 'concatenation'] as const;

/** Options of {@link NonLocalAttention}. */
export interface NonLocalAttentionArgs extends ConvkitLayerArgs {
  /** The pairwise function; default `'embedded'`. */
  pairwise?: PairwiseFunction;
}

/** `[n, h, w, c]` as `[n, hw, c]`: one row per position. */
const flatten = (t: tf.Tensor4D): tf.Tensor3D => tf.reshape(t, [t.shape[0], t.shape[1] * t.shape[2], t.shape[3]]);

/**
 * The attention of a non-local block: given `[theta, phi, g]` (NHWC, `theta` at every query position
 * i, `phi` and `g` at the N positions j, possibly sub-sampled), returns
 * `y_i = sum_j f(theta_i, phi_j) g_j / C(x)` at theta's positions with g's channels. The weights
 * `f / C(x)` of one image are {@link NonLocalAttention.attention}, `[n, hw, N]`. Only the
 * concatenation form has weights of its own (the vector w, `2 * C'` of them).
 */
export class NonLocalAttention extends ConvkitLayer {
  /** Serialization name. */
  static className = 'convkit.NonLocalAttention';
  /** The pairwise function. */
  readonly pairwise: PairwiseFunction;
  private concatWeights?: LayerVariable;

  constructor(args: NonLocalAttentionArgs = {}) {
    super(args);
    this.pairwise = args.pairwise ?? 'embedded';
    if (!PAIRWISE_FUNCTIONS.includes(this.pairwise)) {
      throw this.error('bad-option', `pairwise must be one of ${PAIRWISE_FUNCTIONS.join(', ')}, got "${this.pairwise}"`);
    }
  }

  private shapes(inputShape: TfShape | TfShape[]): [TfShape, TfShape, TfShape] {
    if (!Array.isArray(inputShape[0]) || inputShape.length !== 3) {
      throw this.error('bad-input', 'takes three inputs [theta, phi, g]; apply it to an array of three tensors');
    }
    const [theta, phi, g] = (inputShape as TfShape[]).map((s) => this.nhwc(s)) as [Nhwc, Nhwc, Nhwc];
    if (theta[3] !== phi[3]) throw this.error('bad-input', `theta and phi need the same channels, got ${theta[3]} and ${phi[3]}`);
    if (phi[1] !== g[1] || phi[2] !== g[2]) {
      throw this.error(
        'bad-input',
        `phi and g need the same positions, got ${phi[1]}x${phi[2]} and ${g[1]}x${g[2]}; sub-sample both or neither`,
      );
    }
    return [theta, phi, g] as [TfShape, TfShape, TfShape];
  }

  override build(inputShape: TfShape | TfShape[]): void {
    const [theta] = this.shapes(inputShape);
    if (this.pairwise === 'concatenation') {
      const embedding = theta[3] as number;
      // PyTorch's default for the official code's Conv2d(2C', 1, 1, bias=False): uniform in 1/sqrt(fan_in).
      const bound = 1 / Math.sqrt(2 * embedding);
      this.concatWeights = this.addWeight(
        'concat_project',
        [2 * embedding],
        'float32',
        initializers.randomUniform({ minval: -bound, maxval: bound }),
      );
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const [theta, , g] = this.shapes(inputShape);
    return [theta[0] as number, theta[1] as number, theta[2] as number, g[3] as number];
  }

  /** The normalised pairwise weights `f(theta_i, phi_j) / C(x)`, `[n, positions of theta, positions of phi]`. */
  attention(theta: tf.Tensor4D, phi: tf.Tensor4D): tf.Tensor3D {
    return tf.tidy(() => {
      const t = flatten(theta);
      const p = flatten(phi);
      const positions = p.shape[1];
      if (this.pairwise === 'gaussian' || this.pairwise === 'embedded') return tf.softmax(tf.matMul(t, p, false, true)) as tf.Tensor3D;
      if (this.pairwise === 'dot') return tf.div<tf.Tensor3D>(tf.matMul(t, p, false, true), positions);
      // w . [theta_i, phi_j] = w_theta . theta_i + w_phi . phi_j: two projections, broadcast to i x j.
      const w = (this.concatWeights as LayerVariable).read();
      const c = t.shape[2];
      const fromTheta = tf.sum(tf.mul(t, tf.slice(w, [0], [c])), -1, true);
      const fromPhi = tf.expandDims(tf.sum(tf.mul(p, tf.slice(w, [c], [c])), -1), 1);
      return tf.div<tf.Tensor3D>(tf.relu(tf.add(fromTheta, fromPhi)), positions);
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [theta, phi, g] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      this.shapes([theta.shape, phi.shape, g.shape]);
      const y = tf.matMul(this.attention(theta, phi), flatten(g));
      const [n, h, w] = theta.shape;
      return tf.reshape(y, [n, h, w, g.shape[3]]);
    });
  }

  /** Two products of `hw x N` pairs: `C'` multiply-adds each for f (theta . phi) and for the sum over g. */
  override convkitAnalysis(inputShapes: Shape[]): LayerAnalysis {
    const [theta, phi, g] = inputShapes as number[][];
    const queries = (theta?.[1] ?? 1) * (theta?.[2] ?? 1);
    const keys = (phi?.[1] ?? 1) * (phi?.[2] ?? 1);
    return { macs: queries * keys * ((theta?.[3] ?? 1) + (g?.[3] ?? 1)), global: true };
  }

  override getConfig() {
    return { pairwise: this.pairwise, ...super.getConfig() };
  }
}
