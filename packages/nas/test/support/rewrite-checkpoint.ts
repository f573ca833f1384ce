import { join } from 'node:path';
import { createRng, registry } from '@convkit/core';
import { openDataset } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AlphaValues,
  readSearchCheckpoint,
  SEARCH_FILES,
  SearchNetwork,
  type SearchNetworkConfig,
  writeSearchCheckpoint,
} from '../../src/index.js';
import { SMALL_SHAPES } from './small-shapes.js';

/**
 * Rewrites the alphas of the search checkpoint in `out` (a {@link SMALL_SHAPES} search of `config`'s
 * width and depth) with `edit` of them: how a test puts a search in a state it must react to.
 */
export async function rewriteCheckpointAlphas(
  out: string,
  config: Pick<SearchNetworkConfig, 'channels' | 'layers'>,
  edit: (alphas: AlphaValues) => Pick<AlphaValues, 'normal' | 'reduce'>,
): Promise<void> {
  const { train } = await openDataset(SMALL_SHAPES, registry, { seed: 0 });
  const net = new SearchNetwork({ ...config, numClasses: train.numClasses, inputShape: train.shape }, createRng(0));
  try {
    const folder = join(out, SEARCH_FILES.checkpoint);
    const checkpoint = await readSearchCheckpoint(folder, net);
    const edited = edit(net.alphaValues());
    net.alphas.normal.assign(tf.tensor2d(edited.normal));
    net.alphas.reduce.assign(tf.tensor2d(edited.reduce));
    await writeSearchCheckpoint(folder, net, checkpoint);
  } finally {
    net.dispose();
  }
}
