import type { AttentionSlot } from '@convkit/core';
import { convBnAct } from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { NonLocalAttention, PAIRWISE_FUNCTIONS } from './non-local-attention.js';

/** Schema of {@link NonLocalOptions}: the paper's embedded Gaussian, C/2 bottleneck, sub-sampling and BN. */
export const nonLocalOptions = z
  .object({
    pairwise: z.enum(PAIRWISE_FUNCTIONS).default('embedded').describe('pairwise function f: gaussian, embedded, dot or concatenation'),
    bottleneck: z.number().positive().default(2).describe('theta, phi and g have channels / bottleneck channels (the paper halves them)'),
    subsample: z.boolean().default(true).describe('2x2 max pool after phi and g, a quarter of the pairs (Sec. 3.3)'),
    batchNorm: z.boolean().default(true).describe('batch norm after the output projection W, its scale zero-initialised'),
  })
  .strict();

/** Options of {@link nonLocalBlock}. */
export type NonLocalOptions = z.output<typeof nonLocalOptions>;

/**
 * A non-local block (Wang, Girshick, Gupta, He, "Non-local Neural Networks", CVPR 2018):
 * `z = W(y) + x` with `y_i = sum_j f(x_i, x_j) g(x_j) / C(x)` over all positions j, so every
 * position sees the whole map. theta, phi, g are 1x1 convolutions to `C / bottleneck` channels
 * (`p.theta`, `p.phi`, `p.g`, with biases; the Gaussian form uses x itself for theta and phi), phi
 * and g optionally max-pooled 2x2 (`p.phi_pool`, `p.g_pool`), f as {@link NonLocalAttention}
 * (`p.attention`), W a 1x1 convolution back to C (`p.W`) with batch norm (`p.bn`) whose scale
 * starts at zero, or without BN a zero-initialised W: a new block is exactly the identity, so it
 * can be inserted into a pre-trained network (Sec. 4.1). Used as a slot it returns `z`, residual included.
 *
 * Trainable parameters (embedded, dot; C' = C / bottleneck): `3 (C C' + C') + C' C + C + 2C`
 * (theta, phi, g, W, BN); Gaussian drops theta and phi, concatenation adds `2C'`.
 */
export function nonLocalBlock(options: Partial<NonLocalOptions> = {}): AttentionSlot {
  const { pairwise, bottleneck, subsample, batchNorm } = nonLocalOptions.parse(options);
  return (channels, name) => {
    const inner = Math.max(1, Math.floor(channels / bottleneck));
    const embed = (suffix: string) =>
      convBnAct(`${name}.${suffix}`, {
        filters: inner,
        kernelSize: 1,
        norm: false,
        activation: null,
        names: { conv: `${name}.${suffix}` },
      });
    const pool = (suffix: string) =>
      subsample ? layers.maxPooling2d({ name: `${name}.${suffix}_pool`, poolSize: 2, strides: 2 }) : undefined;
    const theta = pairwise === 'gaussian' ? undefined : embed('theta');
    const phi = pairwise === 'gaussian' ? undefined : embed('phi');
    const g = embed('g');
    const [phiPool, gPool] = [pool('phi'), pool('g')];
    const attention = new NonLocalAttention({ name: `${name}.attention`, pairwise });
    const project = convBnAct(`${name}.W`, {
      filters: channels,
      kernelSize: 1,
      useBias: true,
      activation: null,
      norm: batchNorm ? { zeroInit: true } : false,
      ...(batchNorm ? {} : { kernelInitializer: 'zeros' as const }),
      names: { conv: `${name}.W`, norm: `${name}.bn` },
    });
    const add = layers.add({ name: `${name}.add` });
    const pooled = (p: layers.Layer | undefined, t: SymbolicTensor) => (p ? (p.apply(t) as SymbolicTensor) : t);
    return (x) => {
      const queries = theta ? theta(x) : x;
      const keys = pooled(phiPool, phi ? phi(x) : x);
      const values = pooled(gPool, g(x));
      const y = attention.apply([queries, keys, values]) as SymbolicTensor;
      return add.apply([x, project(y)]) as SymbolicTensor;
    };
  };
}
