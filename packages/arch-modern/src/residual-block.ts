import {
  type AttentionSlot,
  activation,
  batchNorm,
  convBnAct,
  type InitializerSpec,
  residualAdd,
  residualShortcut,
  type ShortcutKind,
} from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';

/**
 * The two residual branches of He et al. 2016: `basic` is two 3x3 convolutions of `width` channels
 * (`width == filters`); `bottleneck` is 1x1 to `width`, 3x3 (grouped for ResNeXt), 1x1 to `filters`
 * (`filters = 4 * width` in ResNet, wider `width` in Wide ResNet and ResNeXt).
 */
export type BranchKind = 'basic' | 'bottleneck';

/**
 * Where each unit's batch norm and ReLU sit: `post` (ResNet v1: conv, BN, ReLU, with the last ReLU
 * after the add) or `pre` (He et al. 2016b, "Identity Mappings in Deep Residual Networks": BN, ReLU,
 * conv, and nothing after the add, so the shortcut path is a pure identity).
 */
export type BlockOrder = 'post' | 'pre';

/** One residual block. */
export interface ResidualBlockOptions {
  branch: BranchKind;
  order: BlockOrder;
  /** Output channels. */
  filters: number;
  /** Channels of the inner convolutions (see {@link BranchKind}). */
  width: number;
  /** Stride of the block, on its 3x3 convolution (torchvision's "v1.5" bottleneck; the basic block's first 3x3). */
  strides: number;
  /** Groups of the 3x3 convolution (ResNeXt's cardinality); default 1. */
  groups?: number;
  /**
   * How the shortcut matches a branch that changes the shape; `'none'` drops the shortcut and the add
   * (He et al. 2016's "plain" networks, the residual network's twin without its identity term).
   */
  shortcut: ShortcutKind | 'none';
  /** Names of the shortcut's layers: torchvision's `downsample.0|1` or the paper forms' `shortcut(.conv|.bn)`. */
  naming: 'torchvision' | 'paper';
  /** Dropout between the two 3x3 convolutions of a pre-activation basic block (Wide ResNet); default 0. */
  dropout?: number;
  /** Drop-path rate of the branch (stochastic depth); default 0. */
  dropPath?: number;
  /**
   * Start the branch's last batch norm at gamma = 0, so the block starts as the identity (Goyal et al.
   * 2017; torchvision's `zero_init_residual`). Post order only: a pre-activation branch ends in a convolution.
   */
  zeroInitResidual?: boolean;
  /** Attention module applied to the branch after its last norm (post order) or last conv (pre order), before the add. */
  attention?: AttentionSlot;
  /** The family's convolution initializer. */
  kernelInitializer: InitializerSpec;
  /**
   * Pre order only: the input already went through BN-ReLU (a stem ending in them), so the block's
   * `bn1`/`relu1` are left out and the branch and a projecting shortcut start from the input.
   */
  preactivated?: boolean;
}

/** The per-unit plan of a branch: its convolutions' kernel, width, stride and groups, in order. */
function branchUnits(options: ResidualBlockOptions): { kernelSize: number; filters: number; strides: number; groups: number }[] {
  const { width, filters, strides, groups = 1 } = options;
  if (options.branch === 'basic') {
    return [
      { kernelSize: 3, filters: width, strides, groups: 1 },
      { kernelSize: 3, filters, strides: 1, groups: 1 },
    ];
  }
  return [
    { kernelSize: 1, filters: width, strides: 1, groups: 1 },
    { kernelSize: 3, filters: width, strides, groups },
    { kernelSize: 1, filters, strides: 1, groups: 1 },
  ];
}

/** The shortcut's layer names under `prefix`. */
function shortcutNames(prefix: string, naming: ResidualBlockOptions['naming']) {
  return naming === 'torchvision'
    ? { prefix: `${prefix}.downsample`, names: { conv: `${prefix}.downsample.0`, norm: `${prefix}.downsample.1` } }
    : { prefix: `${prefix}.shortcut`, names: {} };
}

/**
 * A residual block named under `prefix`: convolutions `${prefix}.conv<i>` with batch norms
 * `${prefix}.bn<i>` and ReLUs `${prefix}.relu<i>` (torchvision's module paths for the weights; the
 * parameter-free ReLUs are numbered because tfjs names must be unique), the shortcut, the add
 * `${prefix}.add` and, in post order, the final ReLU `${prefix}.act`.
 */
export function residualBlock(prefix: string, options: ResidualBlockOptions): (x: SymbolicTensor) => SymbolicTensor {
  return options.order === 'post' ? postActivationBlock(prefix, options) : preActivationBlock(prefix, options);
}

function postActivationBlock(prefix: string, options: ResidualBlockOptions): (x: SymbolicTensor) => SymbolicTensor {
  const units = branchUnits(options);
  const { prefix: shortcutPrefix, names } = shortcutNames(prefix, options.naming);
  return (x) => {
    let y = x;
    units.forEach((unit, i) => {
      const last = i === units.length - 1;
      const n = i + 1;
      y = convBnAct(`${prefix}.conv${n}`, {
        ...unit,
        // the last unit's ReLU comes after the add
        activation: last ? null : 'relu',
        norm: last && options.zeroInitResidual ? { zeroInit: true } : {},
        kernelInitializer: options.kernelInitializer,
        names: { conv: `${prefix}.conv${n}`, norm: `${prefix}.bn${n}`, act: `${prefix}.relu${n}` },
      })(y);
    });
    if (options.attention) y = options.attention(options.filters, `${prefix}.attn`)(y);
    if (options.shortcut === 'none') return activation('relu', `${prefix}.act`).apply(y) as SymbolicTensor;
    const shortcut = residualShortcut(shortcutPrefix, {
      kind: options.shortcut,
      filters: options.filters,
      strides: options.strides,
      kernelInitializer: options.kernelInitializer,
      names,
    })(x);
    return residualAdd(prefix, { activation: 'relu', dropPath: options.dropPath })(shortcut, y);
  };
}

/** Batch norm then ReLU, as a pre-activation unit starts. */
function normRelu(x: SymbolicTensor, norm: string, relu: string): SymbolicTensor {
  const normalized = batchNorm({ name: norm }).apply(x) as SymbolicTensor;
  return activation('relu', relu).apply(normalized) as SymbolicTensor;
}

function preActivationBlock(prefix: string, options: ResidualBlockOptions): (x: SymbolicTensor) => SymbolicTensor {
  const units = branchUnits(options);
  const { prefix: shortcutPrefix, names } = shortcutNames(prefix, options.naming);
  return (x) => {
    let preactivated: SymbolicTensor | undefined;
    let y = x;
    units.forEach((unit, i) => {
      const n = i + 1;
      if (i > 0 || !options.preactivated) y = normRelu(y, `${prefix}.bn${n}`, `${prefix}.relu${n}`);
      if (i === 0) preactivated = y;
      if (i === 1 && options.dropout) y = layers.dropout({ name: `${prefix}.dropout`, rate: options.dropout }).apply(y) as SymbolicTensor;
      y = convBnAct(`${prefix}.conv${n}`, {
        ...unit,
        norm: false,
        activation: null,
        useBias: false,
        kernelInitializer: options.kernelInitializer,
        names: { conv: `${prefix}.conv${n}` },
      })(y);
    });
    if (options.attention) y = options.attention(options.filters, `${prefix}.attn`)(y);
    if (options.shortcut === 'none') return y;
    // The projection sees the pre-activated input, as in He et al.'s and Zagoruyko's code: the
    // identity path stays un-normalized, a projecting one starts from the same BN-ReLU as the branch.
    const changes = options.strides !== 1 || (x.shape[3] as number) !== options.filters;
    const shortcut = residualShortcut(shortcutPrefix, {
      kind: options.shortcut,
      filters: options.filters,
      strides: options.strides,
      norm: false,
      kernelInitializer: options.kernelInitializer,
      names,
    })(changes ? (preactivated as SymbolicTensor) : x);
    return residualAdd(prefix, { activation: null, dropPath: options.dropPath })(shortcut, y);
  };
}
