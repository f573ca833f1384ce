import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { InitializerSpec } from '../base/initializers.js';
import type { BatchNormOptions } from '../normalization/batch-norm.js';
import { convBnAct } from './conv-bn-act.js';
import { channelConcat } from './merge.js';

/** Options of {@link denseBlock}. */
export interface DenseBlockOptions {
  /** Dense layers in the block (a row of DenseNet's `block_config`, e.g. 6 for DenseNet-121's first block). */
  layers: number;
  /** `k`: channels each layer adds to the block's feature map. */
  growthRate: number;
  /**
   * DenseNet-B's bottleneck: each layer starts with a 1x1 convolution to `bottleneckWidth * k` channels
   * (torchvision's `bn_size`; the paper's 4). 0 leaves it out: plain DenseNet's layers are BN-ReLU-3x3.
   */
  bottleneckWidth?: number;
  /** Drop rate after each layer's 3x3 convolution (torchvision's `drop_rate`); default 0, no layer. */
  dropRate?: number;
  /**
   * Name of layer `i` (1-based) under the block's prefix; default `denselayer${i}`, torchvision's
   * (`features.denseblock1.denselayer1.conv1`).
   */
  layerName?: (index: number) => string;
  norm?: Omit<BatchNormOptions, 'name'>;
  /** Kernel initializer of the convolutions; default `'heNormalFanOut'` (torchvision's). */
  kernelInitializer?: InitializerSpec;
}

/**
 * A dense block (Huang et al., 2017, "Densely Connected Convolutional Networks"): every layer reads the
 * concatenation of the block's input and all earlier layers' outputs and adds `k` channels to it, so a
 * block of `L` layers on `c` channels outputs `c + L * k`. Each layer is pre-activation, in torchvision's
 * names: `norm1`, `relu1`, `conv1` (the 1x1 bottleneck), `norm2`, `relu2`, `conv2` (3x3, padding 1),
 * then `dropout` when `dropRate > 0` and `concat`, which appends the new channels.
 *
 * tfjs has no tensor views, so every concatenation copies. The block appends each layer's `k` channels
 * to the running map (one two-input concat per layer, as Keras's DenseNet) instead of re-concatenating
 * every earlier output as torchvision's `_DenseLayer` does: the same bytes move either way, with one op
 * per layer instead of one op over a growing list.
 */
export function denseBlock(prefix: string, options: DenseBlockOptions): (x: SymbolicTensor) => SymbolicTensor {
  const { growthRate, bottleneckWidth = 4, dropRate = 0, norm = {} } = options;
  const layerName = options.layerName ?? ((i: number) => `denselayer${i}`);
  const kernelInitializer = options.kernelInitializer ?? 'heNormalFanOut';
  const unit = (name: string, step: 1 | 2, filters: number, kernelSize: number) =>
    convBnAct(name, {
      filters,
      kernelSize,
      order: 'pre',
      norm,
      kernelInitializer,
      names: { conv: `${name}.conv${step}`, norm: `${name}.norm${step}`, act: `${name}.relu${step}` },
    });
  const denseLayers = Array.from({ length: options.layers }, (_, i) => {
    const name = `${prefix}.${layerName(i + 1)}`;
    const bottleneck = bottleneckWidth > 0 ? unit(name, 1, bottleneckWidth * growthRate, 1) : undefined;
    // Without a bottleneck the 3x3 unit is the layer's only one, named as torchvision's first.
    const spatial = unit(name, bottleneck ? 2 : 1, growthRate, 3);
    const dropout = dropRate > 0 ? layers.dropout({ name: `${name}.dropout`, rate: dropRate }) : undefined;
    const concat = channelConcat(`${name}.concat`);
    return (features: SymbolicTensor) => {
      const fresh = spatial(bottleneck ? bottleneck(features) : features);
      return concat([features, dropout ? (dropout.apply(fresh) as SymbolicTensor) : fresh]);
    };
  });
  return (x) => denseLayers.reduce((features, layer) => layer(features), x);
}

/** Options of {@link denseTransition}. */
export interface DenseTransitionOptions {
  /** Output channels: DenseNet-C's compression `theta` times the input's, rounded down (torchvision's `num_features // 2`). */
  filters: number;
  norm?: Omit<BatchNormOptions, 'name'>;
  /** Kernel initializer of the 1x1 convolution; default `'heNormalFanOut'`. */
  kernelInitializer?: InitializerSpec;
}

/**
 * DenseNet's transition layer between dense blocks: BN, ReLU, a 1x1 convolution to `filters` channels
 * and a 2x2 average pool of stride 2 (floor mode), named as torchvision's `norm`, `relu`, `conv`, `pool`
 * under `prefix` (`features.transition1.conv`).
 */
export function denseTransition(prefix: string, options: DenseTransitionOptions): (x: SymbolicTensor) => SymbolicTensor {
  const unit = convBnAct(prefix, {
    filters: options.filters,
    kernelSize: 1,
    order: 'pre',
    norm: options.norm ?? {},
    kernelInitializer: options.kernelInitializer ?? 'heNormalFanOut',
    names: { conv: `${prefix}.conv`, norm: `${prefix}.norm`, act: `${prefix}.relu` },
  });
  // tfjs's 'valid' 2x2/2 average pool is PyTorch's AvgPool2d(2, 2): no padding, odd sizes floored.
  const pool = layers.averagePooling2d({ name: `${prefix}.pool`, poolSize: 2, strides: 2, padding: 'valid' });
  return (x) => pool.apply(unit(x)) as SymbolicTensor;
}
