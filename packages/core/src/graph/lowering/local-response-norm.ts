import { ConvkitError } from '../../errors.js';
import type { LayerLowering } from './lowering-context.js';

/**
 * convkit's LocalResponseNorm as TensorFlow's LRN: a window of `size` channels is `depth_radius`
 * `(size - 1) / 2` either side, `k` is LRN's `bias`, and LRN's `alpha` multiplies the sum of squares
 * as convkit's `'alexnet'` convention does; the `'pytorch'` convention's alpha scales the mean, so it
 * is divided by `size`. Even windows, which reach one channel further back than forward, have no LRN
 * form and are refused.
 */
export const localResponseNorm: LayerLowering = (context) => {
  const { config, layer, ops } = context;
  const size = Number(config.size);
  if (size % 2 === 0) {
    throw new ConvkitError(
      'graph-unsupported',
      `layer ${layer.name} normalizes over an even window of ${size} channels, which TensorFlow's LRN cannot centre; use an odd size or train it with --engine eager`,
    );
  }
  const alpha = Number(config.alpha);
  const params = {
    depthRadius: (size - 1) / 2,
    bias: Number(config.k),
    alpha: config.convention === 'pytorch' ? alpha / size : alpha,
    beta: Number(config.beta),
  };
  return ops.localResponseNorm(context.inputs[0] as string, params, layer.name);
};
