import { architectureOptions, type BaseArchitectureOptions, defineArchitecture } from '@convkit/core';
import { batchNorm, Conv2d, classifierHead, dropPathOption, requireInputAtLeast } from '@convkit/layers';
import { input, type LayersModel, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { auxiliaryHead } from './auxiliary-head.js';
import { planCells, STEM_MULTIPLIER } from './cell-geometry.js';
import { evalCell } from './eval-cell.js';
import type { Genotype } from './genotype.js';
import { resolveGenotype } from './genotype-source.js';
import { layerUnit, sequence } from './unit.js';

const DARTS_PAPER = { title: 'DARTS: Differentiable Architecture Search', year: 2019, url: 'https://arxiv.org/abs/1806.09055' };

const genotypeOption = z
  .union([z.string(), z.record(z.unknown())])
  .default('DARTS_V2')
  .describe("a built-in genotype (DARTS_V1, DARTS_V2), a genotype JSON file (e.g. a search's genotype.json) or the genotype object");

const dartsOptions = architectureOptions(
  { numClasses: 10, inputShape: [32, 32, 3] },
  {
    genotype: genotypeOption,
    /** Initial width C (36 in the paper's CIFAR-10 network). */
    channels: z.number().int().positive().multipleOf(2).default(36),
    /** Number of cells (20 in the paper's CIFAR-10 network). */
    layers: z.number().int().min(3).default(20),
    /** The auxiliary classifier at 2/3 depth, a second output (the paper trains it at loss weight 0.4). */
    auxiliary: z.boolean().default(false),
    /** Drop-path rate of every op but identities; the paper raises it linearly to 0.2 over training (see `dropPathSchedule`). */
    dropPath: dropPathOption,
  },
);

/** Options of the `darts` architecture. */
export type DartsOptions = BaseArchitectureOptions & z.output<typeof dartsOptions>;

/**
 * The DARTS evaluation network of a genotype (the reference's `NetworkCIFAR`): stem 3x3 convolution
 * to 3C and batch norm, `layers` cells of the genotype (reductions at 1/3 and 2/3 depth), global
 * average pool and `classifier`; with `auxiliary`, the auxiliary head at 2/3 depth is a second output.
 * Cells are named `cell<i>`. DARTS_V2 at C=36, 20 cells and 10 classes has the reference's 3,349,342
 * trainable parameters without the auxiliary head (476,426 more with it), as
 * test/fixtures/darts_param_counts.py counts them.
 */
export function buildDartsNetwork(genotype: Genotype, options: Omit<DartsOptions, 'genotype'>): LayersModel {
  requireInputAtLeast('darts', options.inputShape, 4, 'two stride-2 reduction cells');
  const image = input({ name: 'input', shape: options.inputShape });
  const stem = sequence([
    layerUnit(
      new Conv2d({
        name: 'stem.conv',
        filters: STEM_MULTIPLIER * options.channels,
        kernelSize: 3,
        padding: 1,
        useBias: false,
        kernelInitializer: 'torchUniform',
      }),
    ),
    layerUnit(batchNorm({ name: 'stem.bn' })),
  ]);
  let s0 = stem(image) as SymbolicTensor;
  let s1 = s0;
  let auxiliary: SymbolicTensor | undefined;
  const auxiliaryAt = Math.floor((2 * options.layers) / 3);
  const multiplier = (reduction: boolean) => (reduction ? genotype.reduceConcat : genotype.normalConcat).length;
  for (const plan of planCells(options.channels, options.layers, multiplier)) {
    const genes = plan.reduction
      ? { edges: genotype.reduce, concat: genotype.reduceConcat }
      : { edges: genotype.normal, concat: genotype.normalConcat };
    [s0, s1] = [s1, evalCell(`cell${plan.index}`, plan, genes, options.dropPath, s0, s1)];
    if (options.auxiliary && plan.index === auxiliaryAt) auxiliary = auxiliaryHead(s1, options.numClasses);
  }
  const logits = classifierHead(s1, {
    globalPool: 'global_pooling',
    logitsName: 'classifier',
    numClasses: options.numClasses,
    kernelInitializer: 'torchUniform',
  });
  return model({ name: 'darts', inputs: image, outputs: auxiliary ? [logits, auxiliary] : logits });
}

/**
 * `darts`: the evaluation network of any genotype, `{"genotype": "DARTS_V2"}` by default, or one a
 * search wrote (`{"genotype": "runs/search/genotype.json"}`).
 */
export const darts = defineArchitecture({
  name: 'darts',
  family: 'darts',
  tags: ['cifar', 'nas'],
  description: 'DARTS evaluation network of a genotype (DARTS_V2 by default), C=36, 20 cells',
  paper: DARTS_PAPER,
  defaultInput: [32, 32, 3],
  reference: {
    params: 3_349_342,
    top1: 97.24,
    source: 'quark0/darts DARTS_V2, counted by test/fixtures/darts_param_counts.py; 2.76% CIFAR-10 error',
  },
  options: dartsOptions as never,
  build: (options: DartsOptions) => buildDartsNetwork(resolveGenotype(options.genotype as never), options),
});
