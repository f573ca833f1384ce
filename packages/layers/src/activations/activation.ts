import * as tf from '@tensorflow/tfjs-core';
import type { Shape as TfShape } from '@tensorflow/tfjs-layers';
import { ConvkitLayer, type ConvkitLayerArgs, singleInput, singleShape } from '../base/convkit-layer.js';
import { type ActivationOptions, type ActivationSpec, applyActivation, resolveActivation } from './activation-functions.js';

/** Options of {@link Activation}. */
export interface ActivationArgs extends ConvkitLayerArgs, ActivationOptions {
  /** The activation's name, e.g. `'relu'`, `'relu6'`, `'hardswish'`, `'gelu'` (see {@link ACTIVATION_NAMES}). */
  activation: string;
}

/**
 * Any of convkit's activations as a layer, chosen by name: ReLU, ReLU6, LeakyReLU, ELU, SELU,
 * SiLU/Swish, hard-swish, hard-sigmoid, GELU (exact or tanh), sigmoid, tanh, softmax. Works on any
 * rank; learnable slopes are {@link PReLU}.
 */
export class Activation extends ConvkitLayer {
  /** Serialization name. */
  static className = 'convkit.Activation';
  /** Canonical activation name. */
  readonly activation: string;
  /** The options the activation uses, defaults filled in. */
  readonly options: ActivationOptions;

  constructor(args: ActivationArgs) {
    super(args);
    const { activation, alpha, approximate, axis } = args;
    const resolved = resolveActivation({ name: activation, alpha, approximate, axis });
    this.activation = resolved.name;
    this.options = resolved.options;
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => applyActivation(singleInput<tf.Tensor>(inputs), { name: this.activation, ...this.options }));
  }

  override getConfig() {
    return { activation: this.activation, ...this.options, ...super.getConfig() };
  }
}

/**
 * An {@link Activation} layer from a spec: `activation('gelu', 'stage1.act')`,
 * `activation({ name: 'leakyrelu', alpha: 0.2 })`.
 */
export function activation(spec: ActivationSpec, name?: string): Activation {
  const { name: activationName, ...options } = typeof spec === 'string' ? { name: spec } : spec;
  return new Activation({ activation: activationName, ...options, ...(name ? { name } : {}) });
}
