import { join } from 'node:path';
import { ConvkitError, createRng, type Registry, registry, writeFileAtomic } from '@convkit/core';
import { channelStatistics, openDataset, writePicture } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import { deriveGenotype, type Genotype } from '../genotype.js';
import { checkPartialChannels } from '../partial-channels.js';
import { type AlphaValues, SearchNetwork } from '../search-network.js';
import { alphaHeatmapSvg } from './alpha-heatmap.js';
import { BilevelOptimizer } from './bilevel-optimizer.js';
import { expectedLatency, predictedLatency } from './expected-latency.js';
import type { LatencyTable } from './latency-table.js';
import { disposeBatch } from './search-batch.js';
import { hasSearchCheckpoint, readSearchCheckpoint, writeSearchCheckpoint } from './search-checkpoint.js';
import { epochPlan, searchBatch, splitHalves } from './search-data.js';
import { searchLatencyTable } from './search-latency.js';
import { checkMaxSkip, countSkipConnects, type SkipConnects, skipCollapse } from './skip-guard.js';

/** The search methods: DARTS (Liu et al. 2019), or PC-DARTS (Xu et al. 2020): partial channels and edge normalization. */
export const SEARCH_METHODS = ['darts', 'pc-darts'] as const;

/** One of {@link SEARCH_METHODS}. */
export type SearchMethod = (typeof SEARCH_METHODS)[number];

/** PC-DARTS's sampling ratio on CIFAR-10: each edge's ops see a quarter of the channels. */
const PC_DARTS_PARTIAL_CHANNELS = 4;

/** Options of {@link runSearch}; the defaults are the paper's CIFAR-10 search. */
export interface SearchOptions {
  /** A registered dataset name (`shapes`, `fashion-mnist`, `cifar10`, ...) or a dataset folder. */
  data: string;
  /** Folder for the per-epoch outputs, the final genotype and the checkpoint. */
  out: string;
  /** `darts` (the default) or `pc-darts`: each edge's ops see 1/K of the channels, and each edge gets a normalized beta. */
  method?: SearchMethod;
  /** PC-DARTS's K ({@link PC_DARTS_PARTIAL_CHANNELS}, 4, by default); only with `method: 'pc-darts'`. */
  partialChannels?: number;
  /** 1: first-order DARTS; 2: second order (default 1, the cheaper and the one the paper found as good). */
  order?: 1 | 2;
  /** Initial width C (16). */
  channels?: number;
  /** Cells (8). */
  layers?: number;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  /** Where dataset names are looked up (the process's registry by default). */
  registry?: Registry;
  /** Search on a seeded subset of this many training images (all by default). */
  trainImages?: number;
  /** Continue from the checkpoint in `out` (an error if there is none or its settings differ). */
  resume?: boolean;
  /**
   * Hardware-aware search (FBNet, ProxylessNAS): the architecture step minimises the validation loss
   * plus this weight times the expected latency in ms ({@link expectedLatency}); 0 (the default) is
   * plain DARTS. Without `latencyTable` the table is measured on the current backend into `latency.json`.
   */
  latencyWeight?: number;
  /** A latency table file ({@link LatencyTable} JSON, e.g. another search's `latency.json`) for the same network shape. */
  latencyTable?: string;
  /**
   * The skip-connection collapse guard: stop after the first epoch whose derived normal cell has this
   * many `skip_connect` edges or more (DARTS+; 2 in its paper). No guard by default.
   */
  maxSkip?: number;
  /** Stops the search between steps (the last finished epoch's checkpoint stays). */
  signal?: AbortSignal;
  /** Told after every step. */
  onProgress?: (progress: SearchProgress) => void;
  /** Told after every epoch, once its files are written. */
  onEpoch?: (epoch: SearchEpoch) => void;
}

/** Where a search is, after a step. */
export interface SearchProgress {
  /** 0-based epoch and step within it. */
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  epochs: number;
  trainLoss: number;
  validationLoss: number;
  /** Seconds left at the mean step time of this run so far. */
  etaSeconds: number;
}

/** One finished epoch. */
export interface SearchEpoch {
  /** 1-based. */
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  seconds: number;
  genotype: Genotype;
  /** The `skip_connect` edges of the genotype, per cell type: the collapse to watch. */
  skipConnects: SkipConnects;
  /** With a latency table: the alphas' expected latency and the genotype's predicted latency (ms, summed over cells). */
  latency?: { expected: number; predicted: number };
}

/** What a search ends with. */
export interface SearchResult {
  genotype: Genotype;
  alphas: AlphaValues;
  history: SearchEpoch[];
  /** The genotype file, which `convkit train --arch darts --arch-options '{"genotype":"<file>"}'` reads. */
  genotypeFile: string;
  seconds: number;
  /** Set when the skip-connection guard ({@link SearchOptions.maxSkip}) ended the search before its last epoch. */
  stoppedEarly?: { epoch: number; skipConnects: SkipConnects; maxSkip: number };
}

/** The files a search writes in its output folder. */
export const SEARCH_FILES = {
  genotype: 'genotype.json',
  alphas: 'alphas.json',
  history: 'search.json',
  checkpoint: 'checkpoint',
  /** Per epoch: `epoch-<n>/alphas.json`, `genotype.json`, `alphas.svg` and `alphas.png` (the softmax(alpha) heatmap). */
  epochFolder: (epoch: number) => `epoch-${String(epoch).padStart(3, '0')}`,
} as const;

/** The network's expected latency under its current alphas, as a number. */
function expectedLatencyOf(net: SearchNetwork, table: LatencyTable): number {
  return tf.tidy(() => expectedLatency([net.alphas.normal, net.alphas.reduce], table).dataSync()[0] as number);
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

async function writeEpochFiles(out: string, epoch: SearchEpoch, alphas: AlphaValues): Promise<void> {
  const folder = join(out, SEARCH_FILES.epochFolder(epoch.epoch));
  const genotypeJson = `${JSON.stringify({ epoch: epoch.epoch, genotype: epoch.genotype }, null, 2)}\n`;
  const alphasJson = `${JSON.stringify({ epoch: epoch.epoch, alphas }, null, 2)}\n`;
  await writeFileAtomic(join(folder, SEARCH_FILES.alphas), alphasJson);
  await writeFileAtomic(join(folder, SEARCH_FILES.genotype), genotypeJson);
  await writePicture(join(folder, 'alphas.svg'), alphaHeatmapSvg(alphas, `softmax(alpha) after epoch ${epoch.epoch}`));
  await writeFileAtomic(join(out, SEARCH_FILES.alphas), alphasJson);
  await writeFileAtomic(join(out, SEARCH_FILES.genotype), genotypeJson);
}

/**
 * A DARTS search (Liu et al. 2019), or a PC-DARTS one (`method: 'pc-darts'`), on a dataset's training set: half of it trains the weights, the
 * other half the alphas ({@link BilevelOptimizer}), for `epochs` epochs of full batches. Every epoch
 * writes the alphas, the genotype they derive and a heatmap of softmax(alpha) per edge, then a
 * checkpoint (weights with the norms' statistics, alphas, both optimizers, the RNG), so a search
 * stopped at any point and resumed ends exactly as an uninterrupted one. Each epoch reports its
 * genotype's skip-connect count per cell; with `maxSkip` the search stops early once the normal cell
 * has that many ({@link skipCollapse}), keeping that epoch's genotype. With `latencyWeight` the
 * architecture step also lowers the expected latency, and each epoch reports it and the genotype's.
 */
export async function runSearch(options: SearchOptions): Promise<SearchResult> {
  const method = options.method ?? 'darts';
  if (!SEARCH_METHODS.includes(method)) {
    throw new ConvkitError('bad-option', `unknown search method "${method}"; use ${SEARCH_METHODS.join(' or ')}`);
  }
  if (method !== 'pc-darts' && options.partialChannels !== undefined) {
    throw new ConvkitError('bad-option', `partial channels are PC-DARTS's; add --method pc-darts, or leave out --partial-channels`);
  }
  const settings = {
    data: options.data,
    method,
    partialChannels: method === 'pc-darts' ? (options.partialChannels ?? PC_DARTS_PARTIAL_CHANNELS) : 1,
    order: options.order ?? 1,
    channels: options.channels ?? 16,
    layers: options.layers ?? 8,
    epochs: options.epochs ?? 50,
    batchSize: options.batchSize ?? 64,
    seed: options.seed ?? 0,
    trainImages: options.trainImages ?? null,
    latencyWeight: options.latencyWeight ?? 0,
    latencyTable: options.latencyTable ?? null,
  };
  if (!(Number.isInteger(settings.batchSize) && settings.batchSize > 0)) {
    throw new ConvkitError('bad-option', `batch size must be a positive integer, got ${settings.batchSize}; try --batch-size 64`);
  }
  checkMaxSkip(options.maxSkip);
  if (method === 'pc-darts') checkPartialChannels(settings.partialChannels, settings.channels);
  const checkpointFolder = join(options.out, SEARCH_FILES.checkpoint);
  if (options.resume && !(await hasSearchCheckpoint(checkpointFolder))) {
    throw new ConvkitError('no-checkpoint', `nothing to resume in ${options.out} (no ${SEARCH_FILES.checkpoint}/); start without --resume`);
  }
  const rng = createRng(settings.seed);
  const splits = await openDataset(settings.data, options.registry ?? registry, { seed: settings.seed });
  let data = splits.train;
  if (settings.trainImages !== null) {
    if (!(Number.isInteger(settings.trainImages) && settings.trainImages >= 2)) {
      throw new ConvkitError('bad-option', `trainImages must be an integer of at least 2, got ${settings.trainImages}`);
    }
    data = data.subset(rng.shuffle(Array.from({ length: data.size }, (_, i) => i)).slice(0, Math.min(data.size, settings.trainImages)));
  }
  const statistics = channelStatistics(data);
  const halves = splitHalves(data, rng);
  const net = new SearchNetwork(
    {
      channels: settings.channels,
      layers: settings.layers,
      numClasses: data.numClasses,
      inputShape: data.shape,
      partialChannels: settings.partialChannels,
      edgeNormalization: method === 'pc-darts',
    },
    rng,
  );
  const table = await searchLatencyTable(settings, data.shape, options.out, options.resume ?? false).catch((error) => {
    net.dispose();
    throw error;
  });
  const weight = settings.latencyWeight;
  const optimizer = new BilevelOptimizer(net, {
    order: settings.order as 1 | 2,
    epochs: settings.epochs,
    ...(table && weight > 0
      ? { architecturePenalty: ([normal, reduce]) => tf.mul(weight, expectedLatency([normal as tf.Tensor, reduce as tf.Tensor], table)) }
      : {}),
  });
  const history: SearchEpoch[] = [];
  let firstEpoch = 0;
  try {
    if (options.resume) {
      const checkpoint = await readSearchCheckpoint(checkpointFolder, net);
      if (JSON.stringify(checkpoint.settings) !== JSON.stringify(settings)) {
        throw new ConvkitError(
          'resume-mismatch',
          `the search in ${options.out} ran with ${JSON.stringify(checkpoint.settings)}; resume with the same settings, or start again without --resume`,
        );
      }
      optimizer.setState(checkpoint.optimizer);
      rng.setState(checkpoint.rng);
      history.push(...(checkpoint.history as SearchEpoch[]));
      firstEpoch = checkpoint.epochsDone;
    }
    const started = performance.now();
    let stepsTaken = 0;
    const collapsed = () => {
      const last = history.at(-1);
      // counted from the genotype, which every checkpointed record has
      return last !== undefined && skipCollapse(countSkipConnects(last.genotype), options.maxSkip) ? last : undefined;
    };
    for (let epoch = firstEpoch; epoch < settings.epochs && !collapsed(); epoch++) {
      const epochStart = performance.now();
      const plan = epochPlan(halves, settings.batchSize, rng);
      const trainLosses: number[] = [];
      const validationLosses: number[] = [];
      for (const [step, pair] of plan.entries()) {
        if (options.signal?.aborted)
          throw new ConvkitError('search-aborted', `search stopped in epoch ${epoch + 1}; continue it with --resume`);
        const train = searchBatch(halves.train, pair.train, statistics);
        const validation = searchBatch(halves.validation, pair.validation, statistics);
        const losses = await optimizer.step(train, validation, epoch).finally(() => {
          disposeBatch(train);
          disposeBatch(validation);
        });
        trainLosses.push(losses.trainLoss);
        validationLosses.push(losses.validationLoss);
        stepsTaken += 1;
        const stepsLeft = (settings.epochs - epoch - 1) * plan.length + (plan.length - step - 1);
        options.onProgress?.({
          epoch,
          step,
          stepsPerEpoch: plan.length,
          epochs: settings.epochs,
          trainLoss: losses.trainLoss,
          validationLoss: losses.validationLoss,
          etaSeconds: ((performance.now() - started) / 1000 / stepsTaken) * stepsLeft,
        });
      }
      const alphas = net.alphaValues();
      const genotype = deriveGenotype(alphas);
      const record: SearchEpoch = {
        epoch: epoch + 1,
        trainLoss: mean(trainLosses),
        validationLoss: mean(validationLosses),
        seconds: (performance.now() - epochStart) / 1000,
        genotype,
        skipConnects: countSkipConnects(genotype),
        ...(table && { latency: { expected: expectedLatencyOf(net, table), predicted: predictedLatency(genotype, table) } }),
      };
      history.push(record);
      await writeEpochFiles(options.out, record, alphas);
      await writeFileAtomic(join(options.out, SEARCH_FILES.history), `${JSON.stringify({ settings, history }, null, 2)}\n`);
      await writeSearchCheckpoint(checkpointFolder, net, {
        settings,
        epochsDone: epoch + 1,
        rng: rng.getState(),
        history,
        optimizer: await optimizer.getState(),
      });
      options.onEpoch?.(record);
    }
    const alphas = net.alphaValues();
    const stop = collapsed();
    return {
      genotype: deriveGenotype(alphas),
      alphas,
      history,
      genotypeFile: join(options.out, SEARCH_FILES.genotype),
      seconds: history.reduce((s, e) => s + e.seconds, 0),
      ...(stop && stop.epoch < settings.epochs
        ? { stoppedEarly: { epoch: stop.epoch, skipConnects: countSkipConnects(stop.genotype), maxSkip: options.maxSkip as number } }
        : {}),
    };
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}
