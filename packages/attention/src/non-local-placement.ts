import {
  type AnyArchitectureSpec,
  type ArchitectureSpec,
  type BaseArchitectureOptions,
  ConvkitError,
  defineArchitecture,
  optionShape,
} from '@convkit/core';
import type { AfterBlockSlot, BlockSite } from '@convkit/layers';
import { z } from 'zod';
import { nonLocalBlock, nonLocalOptions } from './non-local.js';
import { attentionTags, type WithAttentionOptions } from './with-attention.js';

const positive = z.number().int().min(1);

/**
 * Schema of {@link NonLocalPlacement}: which blocks a non-local block follows, stages and blocks
 * counted from 1 (torchvision's `layer3` is stage 3, the paper's res4). `every: k` puts one after
 * blocks k, 2k, ... of each stage (the paper's "every other residual block" is `every: 2`);
 * `blocks` names them (`{ stages: [3], blocks: [5] }`: right before res4's last block, Table 2a).
 */
export const nonLocalPlacement = z
  .object({
    stages: z.array(positive).min(1).describe('stages (from 1) that get non-local blocks'),
    every: positive.optional().describe('one after every k-th block of each stage'),
    blocks: z.array(positive).min(1).optional().describe('one after each of these blocks (from 1) of each stage'),
    options: nonLocalOptions.default({}).describe('options of every inserted block'),
  })
  .strict()
  .refine((p) => (p.every === undefined) !== (p.blocks === undefined), {
    message: 'give exactly one of "every" (after blocks k, 2k, ...) and "blocks" (after the listed blocks)',
  });

/** Where non-local blocks go, and their options (see {@link nonLocalPlacement}). */
export type NonLocalPlacement = z.input<typeof nonLocalPlacement>;

/** Whether `placement` puts a non-local block after the block at `site`. */
function chosen(placement: z.output<typeof nonLocalPlacement>, site: BlockSite): boolean {
  if (!placement.stages.includes(site.stage)) return false;
  return placement.every !== undefined ? site.block % placement.every === 0 : (placement.blocks ?? []).includes(site.block);
}

/**
 * The after-block slot that inserts a non-local block (`${block}.nonlocal.*`, see `nonLocalBlock`)
 * after the blocks `placement` chooses, and records every site it was asked about in `sites`.
 */
export function nonLocalAfter(placement: NonLocalPlacement, sites: BlockSite[] = []): AfterBlockSlot {
  const parsed = parsePlacement(placement);
  const block = nonLocalBlock(parsed.options);
  return (site) => {
    sites.push(site);
    return chosen(parsed, site) ? block(site.channels, `${site.prefix}.nonlocal`) : null;
  };
}

function parsePlacement(placement: NonLocalPlacement): z.output<typeof nonLocalPlacement> {
  const parsed = nonLocalPlacement.safeParse(placement);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(placement)'}: ${i.message}`).join('; ');
  throw new ConvkitError('bad-option', `bad non-local placement: ${issues}`);
}

/** Refuses a placement that named a stage or block the built network does not have, or chose none in a stage. */
function checkPlacement(name: string, placement: z.output<typeof nonLocalPlacement>, sites: BlockSite[]): void {
  for (const stage of placement.stages) {
    const inStage = sites.filter((s) => s.stage === stage);
    const count = inStage[0]?.blocksInStage;
    const stages = Math.max(0, ...sites.map((s) => s.stage));
    if (count === undefined)
      throw new ConvkitError('bad-option', `${name} has stages 1-${stages}, not ${stage}; choose non-local stages among them`);
    const missing = (placement.blocks ?? []).filter((b) => b > count);
    if (missing.length > 0 || !inStage.some((s) => chosen(placement, s))) {
      throw new ConvkitError(
        'bad-option',
        `stage ${stage} of ${name} has ${count} blocks, so the placement (${placement.every !== undefined ? `every ${placement.every}` : `blocks ${placement.blocks?.join(', ')}`}) puts no non-local block ${missing.length > 0 ? `after block ${missing.join(', ')}` : 'in it'}; choose blocks 1-${count}`,
      );
    }
  }
}

/**
 * A new architecture: `base` with non-local blocks (Wang et al. 2018) after the blocks `placement`
 * chooses, as the paper adds them to res3/res4 of a ResNet. Works for any spec whose options take
 * `afterBlock` (the `afterBlockOption` of @convkit/layers); any other spec is a {@link ConvkitError}
 * naming it, and so is a placement naming a stage or block the network lacks (checked at build).
 * The new spec keeps the base's options except `afterBlock`.
 */
export function withNonLocal<Options extends BaseArchitectureOptions>(
  base: ArchitectureSpec<Options>,
  placement: NonLocalPlacement,
  meta: Omit<WithAttentionOptions, 'options'> = {},
): AnyArchitectureSpec {
  const spec = base as unknown as AnyArchitectureSpec;
  if (!('afterBlock' in optionShape(spec))) {
    throw new ConvkitError(
      'no-after-block-slot',
      `architecture ${spec.name} has no after-block slot (no "afterBlock" option); its builder must take afterBlockOption from @convkit/layers and call afterBlock after each block`,
    );
  }
  const parsed = parsePlacement(placement);
  const name = meta.name ?? `nonlocal-${spec.name}`;
  const schema = spec.options;
  return defineArchitecture({
    ...spec,
    name,
    description: meta.description ?? `${spec.name} with non-local blocks in stages ${parsed.stages.join(', ')}`,
    paper: meta.paper ?? { title: 'Non-local Neural Networks', year: 2018, url: 'https://arxiv.org/abs/1711.07971' },
    reference: meta.reference,
    tags: meta.tags ?? attentionTags(spec, 'non-local'),
    options: (schema instanceof z.ZodObject ? schema.omit({ afterBlock: true }) : schema) as AnyArchitectureSpec['options'],
    build: (resolved) => {
      const sites: BlockSite[] = [];
      const model = spec.build({ ...resolved, afterBlock: nonLocalAfter(parsed, sites) });
      try {
        checkPlacement(name, parsed, sites);
      } catch (error) {
        model.dispose();
        throw error;
      }
      return model;
    },
  });
}
