import { ConvkitError, closestNames } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options some activations take; each ignores the others. */
export interface ActivationOptions {
  /** Negative slope of `leakyrelu` (default 0.01, PyTorch's; Keras's default is 0.3) or the `elu` scale (default 1). */
  alpha?: number;
  /** `gelu` form: `'none'` (exact, with erf; default) or `'tanh'` (Hendrycks & Gimpel's approximation), as PyTorch's `approximate`. */
  approximate?: 'none' | 'tanh';
  /** `softmax` axis; default -1 (channels). */
  axis?: number;
}

/** An activation by name (`'relu'`, `'hard-swish'`, `'GELU'`: case, `-` and `_` are ignored), or a name with options. */
export type ActivationSpec = string | ({ name: string } & ActivationOptions);

interface ActivationEntry {
  apply(x: tf.Tensor, options: Required<ActivationOptions>): tf.Tensor;
  /** The options that change this activation, stored in configs. */
  options: (keyof ActivationOptions)[];
  /** Defaults of this activation that differ from {@link DEFAULTS} (ELU's alpha is 1, not leaky ReLU's 0.01). */
  defaults?: ActivationOptions;
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** `relu6(x + 3) / 6`, the piecewise-linear sigmoid of MobileNetV3 (Howard et al., 2019). */
function hardSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.div(tf.relu6(tf.add(x, 3)), 6);
}

const ACTIVATIONS: Record<string, ActivationEntry> = {
  linear: { apply: (x) => x, options: [] },
  relu: { apply: (x) => tf.relu(x), options: [] },
  relu6: { apply: (x) => tf.relu6(x), options: [] },
  leakyrelu: { apply: (x, o) => tf.leakyRelu(x, o.alpha), options: ['alpha'] },
  // tfjs's elu has no alpha: scale its negative part, elu(min(x, 0)) = exp(min(x, 0)) - 1 (a select would
  // have no gradient for its condition).
  elu: {
    apply: (x, o) => (o.alpha === 1 ? tf.elu(x) : tf.add(tf.relu(x), tf.mul(o.alpha, tf.elu(tf.minimum(x, 0))))),
    options: ['alpha'],
    defaults: { alpha: 1 },
  },
  // Klambauer et al., 2017: scale 1.0507..., alpha 1.6732...; tfjs uses the same constants.
  selu: { apply: (x) => tf.selu(x), options: [] },
  // x * sigmoid(x): SiLU (Elfwing et al., 2018) = Swish with beta 1 (Ramachandran et al., 2017).
  silu: { apply: (x) => tf.mul(x, tf.sigmoid(x)), options: [] },
  hardswish: { apply: (x) => tf.mul(x, hardSigmoid(x)), options: [] },
  hardsigmoid: { apply: (x) => hardSigmoid(x), options: [] },
  gelu: {
    apply: (x, o) =>
      o.approximate === 'tanh'
        ? tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))))
        : tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, SQRT_HALF)))),
    options: ['approximate'],
  },
  sigmoid: { apply: (x) => tf.sigmoid(x), options: [] },
  tanh: { apply: (x) => tf.tanh(x), options: [] },
  softmax: { apply: (x, o) => tf.softmax(x, o.axis), options: ['axis'] },
};

const ALIASES: Record<string, string> = { swish: 'silu', hswish: 'hardswish', hsigmoid: 'hardsigmoid', identity: 'linear', none: 'linear' };

const DEFAULTS: Required<ActivationOptions> = { alpha: 0.01, approximate: 'none', axis: -1 };

/** Every activation name convkit knows, canonical form. */
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS);

/**
 * The canonical name of an activation: lowercase without `-`/`_`, aliases resolved (`swish` → `silu`,
 * `hard_swish` → `hardswish`). Unknown names are a ConvkitError suggesting close ones.
 */
export function canonicalActivation(name: string): string {
  const key = name.toLowerCase().replace(/[-_]/g, '');
  const canonical = ALIASES[key] ?? key;
  if (canonical in ACTIVATIONS) return canonical;
  const close = closestNames(key, [...ACTIVATION_NAMES, ...Object.keys(ALIASES)]);
  throw new ConvkitError(
    'unknown-activation',
    `unknown activation "${name}"; ${close.length > 0 ? `did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : `known: ${ACTIVATION_NAMES.join(', ')}`}`,
  );
}

/** A spec's canonical name and its effective options (only those the activation uses, defaults filled). */
export function resolveActivation(spec: ActivationSpec): { name: string; options: ActivationOptions } {
  const { name, ...given } = typeof spec === 'string' ? { name: spec } : spec;
  const canonical = canonicalActivation(name);
  const entry = ACTIVATIONS[canonical] as ActivationEntry;
  const defaults: Required<ActivationOptions> = { ...DEFAULTS, ...entry.defaults };
  const options: ActivationOptions = {};
  for (const key of entry.options) Object.assign(options, { [key]: (given as ActivationOptions)[key] ?? defaults[key] });
  if (options.approximate !== undefined && options.approximate !== 'none' && options.approximate !== 'tanh') {
    throw new ConvkitError('bad-option', `gelu's approximate must be 'none' or 'tanh', got "${options.approximate}"`);
  }
  return { name: canonical, options };
}

/** Applies an activation to a tensor: `applyActivation(x, 'gelu')`, `applyActivation(x, { name: 'leakyrelu', alpha: 0.2 })`. */
export function applyActivation(x: tf.Tensor, spec: ActivationSpec): tf.Tensor {
  const { name, options } = resolveActivation(spec);
  return (ACTIVATIONS[name] as ActivationEntry).apply(x, { ...DEFAULTS, ...options });
}
