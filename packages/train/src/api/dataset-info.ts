import { registry as defaultRegistry, type Registry } from '@convkit/core';
import type { LabeledImages } from '../data/labeled-images.js';
import { type ChannelStatistics, channelStatistics } from '../data/normalization.js';
import { openDataset } from '../data/open-dataset.js';
import { plugin } from '../plugin.js';

/** A description of a dataset, as `convkit data info` prints it. */
export interface DatasetInfo {
  name: string;
  /** Where the images are read from (a folder), or how they are generated. */
  source: string;
  /** Image shape as height, width, channels. */
  shape: [number, number, number];
  classNames: string[];
  train: { count: number; perClass: number[] };
  test: { count: number; perClass: number[] };
  /** Per-channel mean and standard deviation of the training images, in [0, 1] units. */
  normalization: ChannelStatistics;
}

function perClass(set: LabeledImages): number[] {
  const counts = new Array<number>(set.numClasses).fill(0);
  for (const label of set.labels) counts[label] = (counts[label] as number) + 1;
  return counts;
}

/** Opens a dataset (name or folder) and describes it: sizes, classes, class balance, normalization. */
export async function datasetInfo(data: string, options: { seed?: number; registry?: Registry } = {}): Promise<DatasetInfo> {
  const registry = (options.registry ?? defaultRegistry).use(plugin);
  const splits = await openDataset(data, registry, { seed: options.seed ?? 0 });
  return {
    name: splits.name,
    source: splits.source ?? data,
    shape: [...splits.train.shape],
    classNames: [...splits.train.classNames],
    train: { count: splits.train.size, perClass: perClass(splits.train) },
    test: { count: splits.test.size, perClass: perClass(splits.test) },
    normalization: channelStatistics(splits.train),
  };
}
