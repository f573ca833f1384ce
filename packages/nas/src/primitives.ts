import { ConvkitError } from '@convkit/core';
import { AvgPool2d, activation, batchNorm, Conv2d, MaxPool2d } from '@convkit/layers';
import { factorizedReduce } from './factorized-reduce.js';
import { identity, layerUnit, sequence, type Unit } from './unit.js';

/**
 * The DARTS search space's eight candidate operations on an edge, in the reference code's order
 * (quark0/darts `genotypes.PRIMITIVES`): the index of a name here is its column in an alpha matrix.
 */
export const PRIMITIVES = [
  'none',
  'max_pool_3x3',
  'avg_pool_3x3',
  'skip_connect',
  'sep_conv_3x3',
  'sep_conv_5x5',
  'dil_conv_3x3',
  'dil_conv_5x5',
] as const;

/** One candidate operation of the search space. */
export type Primitive = (typeof PRIMITIVES)[number];

/** Where and how one op is built. */
export interface OpContext {
  /** Channels in and out (an edge keeps the cell's width). */
  channels: number;
  /** 2 on the edges of a reduction cell that read the cell's two inputs, else 1. */
  stride: 1 | 2;
  /**
   * Learned scale and shift in the op's batch norms: false in the search network (Section 2.4: the
   * mixed op's weights would otherwise trade off against the norms' scales), true in the evaluation network.
   */
  affine: boolean;
  /** A search network's pooling ops end in a batch norm without affine (the reference's `MixedOp`). */
  search: boolean;
}

/**
 * The convolutions as data: ReLU, then `repeats` times a depthwise k x k (dilated by `dilation`)
 * and a pointwise 1x1 followed by batch norm, with a ReLU between repetitions. The separable
 * convolutions are applied twice (Section 3.1.1 of the paper; the second at stride 1), the dilated
 * ones once with dilation 2. Padding keeps the size: `dilation * (k - 1) / 2`.
 */
// biome-ignore format: one row per primitive
const CONVOLUTIONS = {
  sep_conv_3x3: { kernel: 3, dilation: 1, repeats: 2 },
  sep_conv_5x5: { kernel: 5, dilation: 1, repeats: 2 },
  dil_conv_3x3: { kernel: 3, dilation: 2, repeats: 1 },
  dil_conv_5x5: { kernel: 5, dilation: 2, repeats: 1 },
} as const;

/** PyTorch's default convolution init, which the reference leaves in place. */
const CONV_INIT = 'torchUniform';

/**
 * ReLU, 1x1 convolution (no bias), batch norm: the reference's `ReLUConvBN`, which every cell uses to
 * bring its two inputs to the cell's width.
 */
export function reluConvBn(prefix: string, filters: number, affine: boolean): Unit {
  return sequence([
    layerUnit(activation('relu', `${prefix}.relu`)),
    layerUnit(new Conv2d({ name: `${prefix}.conv`, filters, kernelSize: 1, useBias: false, kernelInitializer: CONV_INIT })),
    layerUnit(batchNorm({ name: `${prefix}.bn`, affine })),
  ]);
}

function convolution(prefix: string, context: OpContext, row: (typeof CONVOLUTIONS)[keyof typeof CONVOLUTIONS]): Unit {
  const { kernel, dilation, repeats } = row;
  const units: Unit[] = [];
  for (let r = 0; r < repeats; r++) {
    const at = repeats > 1 ? `${prefix}.${r + 1}` : prefix;
    units.push(
      layerUnit(activation('relu', `${at}.relu`)),
      layerUnit(
        new Conv2d({
          name: `${at}.dw`,
          filters: context.channels,
          groups: context.channels,
          kernelSize: kernel,
          strides: r === 0 ? context.stride : 1,
          padding: (dilation * (kernel - 1)) / 2,
          dilation,
          useBias: false,
          kernelInitializer: CONV_INIT,
        }),
      ),
      layerUnit(new Conv2d({ name: `${at}.pw`, filters: context.channels, kernelSize: 1, useBias: false, kernelInitializer: CONV_INIT })),
      layerUnit(batchNorm({ name: `${at}.bn`, affine: context.affine })),
    );
  }
  return sequence(units);
}

function pooling(prefix: string, context: OpContext, kind: 'max' | 'avg'): Unit {
  const args = { name: `${prefix}.pool`, kernelSize: 3, strides: context.stride, padding: 1 };
  const pool = layerUnit(kind === 'max' ? new MaxPool2d(args) : new AvgPool2d({ ...args, countIncludePad: false }));
  // the search network normalizes the parameter-free ops' outputs so their scale is comparable.
  return context.search ? sequence([pool, layerUnit(batchNorm({ name: `${prefix}.bn`, affine: false }))]) : pool;
}

/**
 * Builds primitive `name` for an edge, its layers named under `prefix`. `none` builds nothing and
 * returns null: its output is zero, so a mixed op leaves its term out of the sum (its alpha still
 * takes part in the softmax) and an evaluation cell never holds it.
 */
export function primitive(name: Primitive, prefix: string, context: OpContext): Unit | null {
  switch (name) {
    case 'none':
      return null;
    case 'max_pool_3x3':
      return pooling(prefix, context, 'max');
    case 'avg_pool_3x3':
      return pooling(prefix, context, 'avg');
    case 'skip_connect':
      return context.stride === 1 ? identity : factorizedReduce(prefix, context.channels, context.affine);
    default: {
      const row = CONVOLUTIONS[name];
      if (!row) {
        throw new ConvkitError('unknown-primitive', `unknown DARTS primitive "${String(name)}"; use one of ${PRIMITIVES.join(', ')}`);
      }
      return convolution(prefix, context, row);
    }
  }
}

/** True for the names of the search space, for validating genotypes read from JSON. */
export function isPrimitive(name: unknown): name is Primitive {
  return typeof name === 'string' && (PRIMITIVES as readonly string[]).includes(name);
}
