import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { InitializerSpec } from '../base/initializers.js';
import type { BatchNormOptions } from '../normalization/batch-norm.js';
import { convBnAct } from './conv-bn-act.js';
import { ZeroPadShortcut } from './zero-pad-shortcut.js';

/**
 * How a residual block's shortcut matches a branch that changes the shape (He et al. 2016, section 3.3):
 * - `'zero-pad'`: option A, parameter-free: subsample and pad the new channels with zeros ({@link ZeroPadShortcut});
 * - `'projection'`: option B, a strided 1x1 convolution (with batch norm unless `norm: false`), as
 *   torchvision's `downsample` and the pre-activation and wide ResNets' shortcut convolutions.
 * Where the shape does not change the shortcut is the identity in both, as in the paper.
 */
export type ShortcutKind = 'zero-pad' | 'projection';

/** Options of {@link residualShortcut}. */
export interface ResidualShortcutOptions {
  kind: ShortcutKind;
  /** Channels of the block's output. */
  filters: number;
  /** Stride of the block's branch; default 1. */
  strides?: number;
  /** Batch norm after the projection (default `{}`, PyTorch's defaults); `false` for none (pre-activation ResNets). */
  norm?: Omit<BatchNormOptions, 'name'> | false;
  /** Kernel initializer of the projection: the family's `WeightInit.conv`. */
  kernelInitializer?: InitializerSpec;
  /**
   * Layer names: the zero-pad layer is `conv` (default `prefix`); the projection's convolution and
   * norm default to `${prefix}.conv` and `${prefix}.bn` (torchvision's are `downsample.0`, `downsample.1`).
   */
  names?: { conv?: string; norm?: string };
}

/**
 * The shortcut of a residual block whose branch outputs `filters` channels at `strides`: the identity
 * when that keeps the input's shape, otherwise the option `kind` says. The result is added to the
 * branch with `residualAdd`.
 */
export function residualShortcut(prefix: string, options: ResidualShortcutOptions): (x: SymbolicTensor) => SymbolicTensor {
  const { filters, kind, norm = {} } = options;
  const strides = options.strides ?? 1;
  return (x) => {
    const channels = x.shape[x.shape.length - 1] as number;
    if (strides === 1 && channels === filters) return x;
    if (kind === 'zero-pad') {
      return new ZeroPadShortcut({ name: options.names?.conv ?? prefix, filters, strides }).apply(x) as SymbolicTensor;
    }
    return convBnAct(prefix, {
      filters,
      kernelSize: 1,
      strides,
      norm,
      activation: null,
      useBias: false,
      kernelInitializer: options.kernelInitializer,
      names: { conv: options.names?.conv ?? `${prefix}.conv`, norm: options.names?.norm ?? `${prefix}.bn` },
    })(x);
  };
}
