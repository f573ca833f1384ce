import { type ActivationSpec, convBnAct, makeDivisible } from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';

/** How wide the bottleneck of a channel gate is: `channels / reduction`, rounded to `divisor`. */
export interface ReductionOptions {
  /** Reduction ratio r of the bottleneck (Hu et al.'s r; timm's `rd_ratio = 1 / r`). */
  reduction: number;
  /**
   * Multiple the reduced width is rounded to, and its floor (timm's `rd_divisor`); 1 leaves
   * `channels / reduction` as the paper writes it (rounded, at least 1).
   */
  divisor: number;
  /** An explicit reduced width, overriding `reduction` and `divisor` (timm's `rd_channels`). */
  reducedChannels?: number;
}

/** Zod fields of {@link ReductionOptions} with a module's own defaults. */
export function reductionFields(defaults: { reduction: number; divisor: number }) {
  return {
    reduction: z.number().positive().default(defaults.reduction).describe('reduction ratio r: the bottleneck is channels / r wide'),
    divisor: z
      .number()
      .int()
      .positive()
      .default(defaults.divisor)
      .describe('the bottleneck width is rounded to a multiple of this and never below it (timm rd_divisor)'),
    reducedChannels: z.number().int().positive().optional().describe('explicit bottleneck width, overriding reduction and divisor'),
  };
}

/**
 * The bottleneck width of a gate over `channels`: timm's `make_divisible(channels / r, divisor,
 * round_limit=0)` (nearest multiple, at least `divisor`), so `divisor: 1` is the paper's `C / r`.
 */
export function reducedWidth(channels: number, options: ReductionOptions): number {
  return options.reducedChannels ?? makeDivisible(channels / options.reduction, options.divisor, options.divisor, 0);
}

/**
 * The two 1x1 convolutions (fully connected layers on a 1x1 map) of a channel gate, `${prefix}.fc1`
 * (to `reduced`, ReLU) and `${prefix}.fc2` (back to `channels`, then `outActivation`), both with
 * biases as in the papers. Applying the result twice shares the weights (CBAM's one MLP for both
 * pooled descriptors).
 */
export function channelMlp(
  prefix: string,
  channels: number,
  reduced: number,
  outActivation: ActivationSpec | null,
): (x: SymbolicTensor) => SymbolicTensor {
  const fc1 = convBnAct(prefix, { filters: reduced, kernelSize: 1, norm: false, activation: 'relu', names: { conv: `${prefix}.fc1` } });
  const fc2 = convBnAct(prefix, {
    filters: channels,
    kernelSize: 1,
    norm: false,
    activation: outActivation,
    names: { conv: `${prefix}.fc2`, act: `${prefix}.gate` },
  });
  return (x) => fc2(fc1(x));
}

/** `x` multiplied by a broadcast gate (`[n, 1, 1, c]` per channel, `[n, h, w, 1]` per position), one layer named `name`. */
export function gateScale(name: string): (x: SymbolicTensor, gate: SymbolicTensor) => SymbolicTensor {
  const multiply = layers.multiply({ name });
  return (x, gate) => multiply.apply([x, gate]) as SymbolicTensor;
}
