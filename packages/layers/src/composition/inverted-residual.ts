import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { ActivationSpec } from '../activations/activation-functions.js';
import type { IntPair } from '../base/geometry.js';
import type { InitializerSpec } from '../base/initializers.js';
import type { BatchNormOptions } from '../normalization/batch-norm.js';
import type { AttentionSlot } from './attention-slot.js';
import { type ConvBnActOptions, convBnAct } from './conv-bn-act.js';
import { residualAdd } from './merge.js';

/**
 * How an inverted residual names its layers under its prefix:
 * - `'torchvision'`: torchvision's `InvertedResidual` module paths, `conv.0.0` / `conv.0.1` / `conv.0.2`
 *   for the expansion, then the depthwise step, then the projection and its BN as `conv.<i>` (indices
 *   shift down by one without expansion), so `features.3.conv.1.0` is block 3's depthwise convolution;
 * - `'paper'`: `expand.conv|bn|act`, `dw.conv|bn|act`, `project.conv|bn`.
 */
export type InvertedResidualNaming = 'torchvision' | 'paper';

/** Options of {@link invertedResidual}. */
export interface InvertedResidualOptions {
  /** `c`: output channels of the linear projection. */
  filters: number;
  /** `t`: the expansion factor; the hidden width is `round(t * inputChannels)`. 1 leaves the expansion out. */
  expansion: number;
  /** `s`: stride of the depthwise convolution; default 1. */
  strides?: IntPair;
  /** Depthwise kernel; default 3 (MobileNet v2), 5 in MnasNet/EfficientNet blocks. */
  kernelSize?: IntPair;
  /** Activation of the expansion and depthwise steps; default `'relu6'`. The projection stays linear. */
  activation?: ActivationSpec;
  naming?: InvertedResidualNaming;
  /** Attention applied to the depthwise step's output, before the projection (where MnasNet and MobileNet v3 put SE). */
  attention?: AttentionSlot;
  /** Drop-path rate of the residual branch (only blocks with a residual have one); default 0. */
  dropPath?: number;
  norm?: Omit<BatchNormOptions, 'name'>;
  /** Kernel initializer of the convolutions; default `'heNormalFanOut'` (torchvision's). */
  kernelInitializer?: InitializerSpec;
}

/** Layer names of the three steps, by naming scheme; `expanded` says whether the expansion exists. */
function stepNames(prefix: string, naming: InvertedResidualNaming, expanded: boolean) {
  if (naming === 'paper') {
    const unit = (step: string) => ({ conv: `${prefix}.${step}.conv`, norm: `${prefix}.${step}.bn`, act: `${prefix}.${step}.act` });
    return { expand: unit('expand'), depthwise: unit('dw'), project: unit('project') };
  }
  const module = (i: number) => ({ conv: `${prefix}.conv.${i}.0`, norm: `${prefix}.conv.${i}.1`, act: `${prefix}.conv.${i}.2` });
  const first = expanded ? 1 : 0;
  // The projection is a bare conv and BN in the same Sequential, not a Conv2dNormActivation.
  return {
    expand: module(0),
    depthwise: module(first),
    project: { conv: `${prefix}.conv.${first + 1}`, norm: `${prefix}.conv.${first + 2}` },
  };
}

/**
 * MobileNet v2's inverted residual with linear bottleneck (Sandler et al., 2018, Table 1): a 1x1
 * expansion to `t` times the input's channels with ReLU6 (left out at `t = 1`), a 3x3 depthwise
 * convolution of stride `s` with ReLU6, and a linear 1x1 projection to `c` channels, each with batch
 * norm. The input is added back only when the stride is 1 and the channels are unchanged, as in the
 * paper and torchvision; the add is `${prefix}.add`.
 */
export function invertedResidual(prefix: string, options: InvertedResidualOptions): (x: SymbolicTensor) => SymbolicTensor {
  const { filters, expansion, naming = 'torchvision', norm = {} } = options;
  const strides = options.strides ?? 1;
  const activation = options.activation ?? 'relu6';
  const common: Pick<ConvBnActOptions, 'norm' | 'kernelInitializer'> = {
    norm,
    kernelInitializer: options.kernelInitializer ?? 'heNormalFanOut',
  };
  const names = stepNames(prefix, naming, expansion !== 1);
  let block: ((x: SymbolicTensor) => SymbolicTensor) | undefined;
  // Made on first use, when the input's channels are known; applying the block again reuses its layers.
  const make = (channels: number) => {
    // torchvision's int(round(inp * t)); t is an integer in every published table, so no half ever rounds.
    const hidden = Math.round(channels * expansion);
    const expand =
      expansion === 1 ? undefined : convBnAct(prefix, { ...common, filters: hidden, kernelSize: 1, activation, names: names.expand });
    const kernelSize = options.kernelSize ?? 3;
    const depthwise = convBnAct(prefix, { ...common, conv: 'depthwise', kernelSize, strides, activation, names: names.depthwise });
    const attention = options.attention?.(hidden, `${prefix}.attn`);
    const project = convBnAct(prefix, { ...common, filters, kernelSize: 1, activation: null, names: names.project });
    const residual = [strides].flat().every((s) => s === 1) && channels === filters;
    const add = residual ? residualAdd(prefix, { dropPath: options.dropPath }) : undefined;
    return (x: SymbolicTensor) => {
      let y = depthwise(expand ? expand(x) : x);
      if (attention) y = attention(y);
      y = project(y);
      return add ? add(x, y) : y;
    };
  };
  return (x) => {
    block ??= make(x.shape[x.shape.length - 1] as number);
    return block(x);
  };
}
