import { layers } from '@tensorflow/tfjs-layers';

/** Options of {@link layerNorm}. */
export interface LayerNormOptions {
  /** Layer name. */
  name?: string;
  /** Default 1e-6 (ConvNeXt's and timm's `LayerNorm2d`; PyTorch's `nn.LayerNorm` default is 1e-5). */
  epsilon?: number;
}

/**
 * Layer normalization (Ba et al., 2016) over the channels of each position of an NHWC map, with a
 * learned per-channel scale and shift: what ConvNeXt and timm's `LayerNorm2d` use in CNNs. A stock
 * tfjs `LayerNormalization` on the last axis, so plain tfjs loads it.
 */
export function layerNorm(options: LayerNormOptions = {}): layers.Layer {
  return layers.layerNormalization({ axis: -1, epsilon: options.epsilon ?? 1e-6, ...(options.name ? { name: options.name } : {}) });
}
