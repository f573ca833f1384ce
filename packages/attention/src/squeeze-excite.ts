import { type AttentionSlot, defineAttention } from '@convkit/core';
import { GlobalAvgPool2d } from '@convkit/layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { channelMlp, gateScale, type ReductionOptions, reducedWidth, reductionFields } from './channel-mlp.js';

/** Options of {@link squeezeExcite}. */
export type SqueezeExciteOptions = ReductionOptions;

/** Schema of {@link SqueezeExciteOptions}: r = 16 and timm's divisor of 8 by default. */
export const squeezeExciteOptions = z.object(reductionFields({ reduction: 16, divisor: 8 })).strict();

/**
 * Squeeze-and-Excitation (Hu, Shen, Sun, "Squeeze-and-Excitation Networks", CVPR 2018): a global
 * average pool squeezes each channel to one number, a bottleneck of two fully connected layers
 * (C -> C/r, ReLU, -> C, sigmoid) excites, and the input is scaled channel by channel.
 *
 * Layers, for a slot named `p`: `p.pool` (`GlobalAvgPool2d`, 1x1 kept), `p.fc1`, `p.fc2` (1x1
 * convolutions with biases, timm's `SEModule` layout and names; `p.fc2`'s output is the channel
 * weights) and `p.scale`. Trainable parameters: `2 * C * C' + C' + C` for the reduced width C'
 * (`2C^2/r + C/r + C` at `divisor: 1`). r = 16 with timm's rounding of C' to a multiple of 8 by
 * default, which leaves every ResNet-50 width (256/16 ... 2048/16) as the paper has it.
 */
export function squeezeExcite(options: Partial<SqueezeExciteOptions> = {}): AttentionSlot {
  const resolved = squeezeExciteOptions.parse(options);
  return (channels, name) => {
    const pool = new GlobalAvgPool2d({ name: `${name}.pool`, keepDims: true });
    const excite = channelMlp(name, channels, reducedWidth(channels, resolved), 'sigmoid');
    const scale = gateScale(`${name}.scale`);
    return (x) => scale(x, excite(pool.apply(x) as SymbolicTensor));
  };
}

/** `se`: the squeeze-and-excitation module as a registered attention module (`{"attention": "se"}`). */
export const se = defineAttention({
  name: 'se',
  description: 'squeeze-and-excitation: global pool, C -> C/r -> C bottleneck, sigmoid channel gate',
  paper: { title: 'Squeeze-and-Excitation Networks', year: 2018, url: 'https://arxiv.org/abs/1709.01507' },
  options: squeezeExciteOptions,
  create: (options) => squeezeExcite(options as unknown as SqueezeExciteOptions),
});
