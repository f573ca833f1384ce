import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';

/**
 * Where a network is between two of its blocks: the stage and the block within it, both counted from
 * 1 as in the papers' tables (torchvision's `layer3` is stage 3, Wang et al.'s res4), the number of
 * blocks of that stage, the block's output channels and its layer prefix (`layer3.4`).
 */
export interface BlockSite {
  stage: number;
  block: number;
  blocksInStage: number;
  channels: number;
  prefix: string;
}

/**
 * The after-block slot: asked at every block's output, returns a module to insert there or null.
 * This is how non-local blocks (Wang et al. 2018) go "after given blocks of res3/res4" without the
 * architecture knowing about them; the returned module keeps the channels and spatial size.
 */
export type AfterBlockSlot = (site: BlockSite) => ((x: SymbolicTensor) => SymbolicTensor) | null;

/**
 * `afterBlock` option of an architecture whose builder calls the after-block slot (see
 * {@link AfterBlockSlot}): null (default) or the slot function. Having it is how a spec declares the
 * slot, which `withNonLocal` (@convkit/attention) requires.
 */
export const afterBlockOption = z
  .custom<AfterBlockSlot>((value) => typeof value === 'function', { message: 'expected an after-block slot function or null' })
  .nullable()
  .default(null)
  .describe('module inserted after chosen blocks (non-local blocks); set by withNonLocal');

/** `y` followed by what `slot` inserts at `site`, or `y` itself when there is no slot or it declines. */
export function afterBlock(slot: AfterBlockSlot | null | undefined, site: BlockSite, y: SymbolicTensor): SymbolicTensor {
  const module = slot?.(site);
  return module ? module(y) : y;
}
