import { type AttentionSlot, defineAttention } from '@convkit/core';
import { activation, convBnAct, GlobalAvgPool2d, GlobalMaxPool2d } from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { channelMlp, gateScale, type ReductionOptions, reducedWidth, reductionFields } from './channel-mlp.js';
import { ChannelPool } from './channel-pool.js';

/** Options of {@link cbam}. */
export interface CbamOptions extends ReductionOptions {
  /** Kernel size of the spatial gate's convolution; default 7 (the paper's best). */
  spatialKernel: number;
  /** Whether the spatial gate is applied at all (false leaves the channel gate alone, "CBAM-C"). */
  spatial: boolean;
}

/** Schema of {@link CbamOptions}: r = 16, divisor 1 (the official code's `C // r`), a 7x7 spatial gate. */
export const cbamOptions = z
  .object({
    ...reductionFields({ reduction: 16, divisor: 1 }),
    spatialKernel: z.number().int().positive().default(7).describe('kernel size of the spatial gate convolution (odd)'),
    spatial: z.boolean().default(true).describe('apply the spatial gate after the channel gate'),
  })
  .strict()
  .refine((o) => o.spatialKernel % 2 === 1, { message: 'spatialKernel must be odd so the map keeps its size', path: ['spatialKernel'] });

/**
 * CBAM, the Convolutional Block Attention Module (Woo, Park, Lee, Kweon, ECCV 2018), channel gate
 * then spatial gate, as the paper orders them:
 * - channel: average- and max-pooled descriptors through one shared MLP (C -> C/r, ReLU, -> C, with
 *   biases), summed, sigmoid, channel scale: layers `p.channel.avgpool`, `p.channel.maxpool`,
 *   `p.channel.fc1`, `p.channel.fc2` (each applied to both), `p.channel.add`, `p.channel.gate`, `p.channel.scale`;
 * - spatial: channel-wise max and mean (`p.spatial.pool`, {@link ChannelPool}), a 7x7 convolution
 *   to one map without bias and its batch norm (`p.spatial.conv`, `p.spatial.bn`; the official
 *   code's momentum 0.01), sigmoid (`p.spatial.gate`, the spatial attention map) and scale.
 *
 * Trainable parameters: `2 * C * C' + C' + C` (MLP) `+ 2k^2 + 2` (spatial conv and BN scale/shift).
 */
export function cbam(options: Partial<CbamOptions> = {}): AttentionSlot {
  const resolved = cbamOptions.parse(options);
  return (channels, name) => {
    const c = `${name}.channel`;
    const avg = new GlobalAvgPool2d({ name: `${c}.avgpool`, keepDims: true });
    const max = new GlobalMaxPool2d({ name: `${c}.maxpool`, keepDims: true });
    // The official code floors C / r; reducedWidth rounds, so a divisor of 1 needs the floor here.
    const reduced =
      resolved.divisor === 1 && resolved.reducedChannels === undefined
        ? Math.max(1, Math.floor(channels / resolved.reduction))
        : reducedWidth(channels, resolved);
    const mlp = channelMlp(c, channels, reduced, null);
    const add = layers.add({ name: `${c}.add` });
    const channelGate = activation('sigmoid', `${c}.gate`);
    const channelScale = gateScale(`${c}.scale`);
    const spatial = resolved.spatial ? spatialGate(`${name}.spatial`, resolved.spatialKernel) : undefined;
    return (x) => {
      const pooled = [avg, max].map((pool) => mlp(pool.apply(x) as SymbolicTensor));
      const weights = channelGate.apply(add.apply(pooled) as SymbolicTensor) as SymbolicTensor;
      const refined = channelScale(x, weights);
      return spatial ? spatial(refined) : refined;
    };
  };
}

/** CBAM's spatial gate: channel pool, k x k convolution to one map with batch norm, sigmoid, scale. */
function spatialGate(prefix: string, kernelSize: number): (x: SymbolicTensor) => SymbolicTensor {
  const pool = new ChannelPool({ name: `${prefix}.pool` });
  const conv = convBnAct(prefix, {
    filters: 1,
    kernelSize,
    useBias: false,
    norm: { momentum: 0.01 },
    activation: null,
    names: { conv: `${prefix}.conv`, norm: `${prefix}.bn` },
  });
  const gate = activation('sigmoid', `${prefix}.gate`);
  const scale = gateScale(`${prefix}.scale`);
  return (x) => scale(x, gate.apply(conv(pool.apply(x) as SymbolicTensor)) as SymbolicTensor);
}

/** `cbam`: the convolutional block attention module as a registered attention module (`{"attention": "cbam"}`). */
export const cbamAttention = defineAttention({
  name: 'cbam',
  description: 'CBAM: shared-MLP channel gate over avg and max pools, then a 7x7 spatial gate over channel max and mean',
  paper: { title: 'CBAM: Convolutional Block Attention Module', year: 2018, url: 'https://arxiv.org/abs/1807.06521' },
  options: cbamOptions,
  create: (options) => cbam(options as unknown as CbamOptions),
});
