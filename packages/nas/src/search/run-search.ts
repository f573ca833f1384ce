import { join } from 'node:path';
import { ConvkitError, createRng, type Registry, registry, writeFileAtomic } from '@convkit/core';
import { channelStatistics, openDataset } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import { type CandidateOps, pruneCandidateOps } from '../candidate-ops.js';
import { deriveGenotype } from '../derive-genotype.js';
import type { Genotype } from '../genotype.js';
import { type AlphaValues, SearchNetwork } from '../search-network.js';
import { BilevelOptimizer } from './bilevel-optimizer.js';
import { expectedLatency, predictedLatency } from './expected-latency.js';
import { measureGenotypeLatency } from './genotype-latency.js';
import type { LatencyTable } from './latency-table.js';
import { alphaRanking, rankingSettled, sameRanking } from './ranking-guard.js';
import { disposeBatch } from './search-batch.js';
import {
  hasSearchCheckpoint,
  readSearchCheckpoint,
  readSearchCheckpointStage,
  type StageProgress,
  writeSearchCheckpoint,
} from './search-checkpoint.js';
import { epochPlan, searchBatch, splitHalves } from './search-data.js';
import { SEARCH_FILES, writeEpochFiles } from './search-files.js';
import { searchLatencyTable } from './search-latency.js';
import { type SearchMethod, searchSettings, withLegacyDefaults } from './search-settings.js';
import { type SearchStage, skipDropoutRate } from './search-stages.js';
import { countSkipConnects, type SkipConnects, skipCollapse } from './skip-guard.js';

/** Options of {@link runSearch}; the defaults are the paper's CIFAR-10 search. */
export interface SearchOptions {
  /** A registered dataset name (`shapes`, `fashion-mnist`, `cifar10`, ...) or a dataset folder. */
  data: string;
  /** Folder for the per-epoch outputs, the final genotype and the checkpoint. */
  out: string;
  /**
   * `darts` (the default); `pc-darts`: each edge's ops see 1/K of the channels, and each edge gets a
   * normalized beta; `pdarts`: stages of growing depth, the ops pruned between them.
   */
  method?: SearchMethod;
  /** PC-DARTS's K ({@link PC_DARTS_PARTIAL_CHANNELS}, 4, by default); only with `method: 'pc-darts'`. */
  partialChannels?: number;
  /** 1: first-order DARTS; 2: second order (default 1, the cheaper and the one the paper found as good). */
  order?: 1 | 2;
  /** Initial width C (16). */
  channels?: number;
  /** Cells (8); P-DARTS takes `stageLayers` instead. */
  layers?: number;
  /** Epochs (50); in P-DARTS per stage (25). */
  epochs?: number;
  batchSize?: number;
  seed?: number;
  /** Where dataset names are looked up (the process's registry by default). */
  registry?: Registry;
  /** Search on a seeded subset of this many training images (all by default). */
  trainImages?: number;
  /**
   * The weights' SGD learning rate at the start of the cosine schedule (DARTS's 0.025; it falls to
   * 0.001, P-DARTS's to 0), so at least that final rate.
   */
  learningRate?: number;
  /** The alphas' Adam learning rate (DARTS's 3e-4; P-DARTS's 6e-4). */
  archLearningRate?: number;
  /** The alphas' L2 weight decay in their Adam step (DARTS's 1e-3). */
  archWeightDecay?: number;
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
  /** The timer (ms) of the latency table and genotype measurements, `performance.now` by default; a test passes its own. */
  latencyClock?: () => number;
  /**
   * The skip-connection collapse guard: stop (in P-DARTS, end the stage) after the first epoch of alpha
   * training whose derived normal cell has this many `skip_connect` edges or more (DARTS+; 2 in its
   * paper). No guard by default.
   */
  maxSkip?: number;
  /**
   * The second early-stop rule of DARTS+ ({@link rankingSettled}): stop (in P-DARTS, end the stage)
   * once the order of the ops on every edge has not changed for this many epochs of alpha training.
   * No rule by default.
   */
  stableEpochs?: number;
  /** P-DARTS: each stage's cells ({@link PDARTS_DEFAULTS}: 5, 11, 17). */
  stageLayers?: number[];
  /** P-DARTS: each stage's candidates per edge, 8 first, what pruning keeps after (8, 5, 3). */
  stageOps?: number[];
  /** P-DARTS: each stage's initial dropout rate on the skip connections (0, 0.4, 0.7), scheduled by {@link skipDropoutRate}. */
  skipDropout?: number[];
  /** P-DARTS: the weights-only epochs at the start of each stage (two fifths of `epochs`, rounded). */
  warmupEpochs?: number;
  /** P-DARTS: the final normal cell keeps at most this many skip connections (M, 2). */
  skipCap?: number;
  /** Stops the search between steps (the last finished epoch's checkpoint stays). */
  signal?: AbortSignal;
  /** Told after every step. */
  onProgress?: (progress: SearchProgress) => void;
  /** Told after every epoch, once its files are written. */
  onEpoch?: (epoch: SearchEpoch) => void;
}

/** Where a search is, after a step. */
export interface SearchProgress {
  /** 0-based epoch (counted over all stages) and step within it. */
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  /** Epochs of the whole search, all stages. */
  epochs: number;
  /** 1-based stage, of `stages` (1 but in P-DARTS). */
  stage: number;
  stages: number;
  trainLoss: number;
  validationLoss: number;
  /** Seconds left at this run's mean time per step and cell so far (deeper stages take longer). */
  etaSeconds: number;
}

/** Why a search (a P-DARTS stage) ended before its last epoch: {@link SearchOptions.maxSkip} or {@link SearchOptions.stableEpochs}. */
export type EarlyStop = 'skip-connects' | 'stable-ranking';

/** One finished epoch. */
export interface SearchEpoch {
  /** 1-based, counted over all stages. */
  epoch: number;
  /** 1-based stage. */
  stage: number;
  /** False in P-DARTS's weights-only warm-up epochs. */
  alphasTrained: boolean;
  trainLoss: number;
  validationLoss: number;
  seconds: number;
  genotype: Genotype;
  /** The `skip_connect` edges of the genotype, per cell type: the collapse to watch. */
  skipConnects: SkipConnects;
  /** Epochs in a row (this one included) after which the ranking of every edge's ops was the same as before them; 0 in warm-up. */
  rankingUnchanged: number;
  /** P-DARTS: the skip connections' dropout rate this epoch. */
  skipDropout?: number;
  /** Set when an early-stop rule ended the search (a P-DARTS stage) after this epoch. */
  stop?: EarlyStop;
  /**
   * With a latency table: the alphas' expected latency and the genotype's predicted latency (the
   * table's entries of its ops) and measured latency ({@link measureGenotypeLatency}, on this backend
   * at the table's shapes), in ms summed over cells.
   */
  latency?: { expected: number } & GenotypeLatency;
}

/** A genotype's latency in ms: the latency table's prediction and the time its ops measured at the table's shapes. */
export interface GenotypeLatency {
  predicted: number;
  measured: number;
}

/** What a search ends with. */
export interface SearchResult {
  genotype: Genotype;
  alphas: AlphaValues;
  history: SearchEpoch[];
  /** The genotype file, which `convkit train --arch darts --arch-options '{"genotype":"<file>"}'` reads. */
  genotypeFile: string;
  seconds: number;
  /** Set when an early-stop rule ended the search (its last stage) before its last epoch. */
  stoppedEarly?: { epoch: number; reason: EarlyStop; skipConnects: SkipConnects };
  /** With a latency table: the final genotype's predicted and measured latency (also in its genotype file). */
  latency?: GenotypeLatency;
}

/** The latency of `genotype` under `table`: predicted from it, and measured now at its shapes. */
async function genotypeLatency(genotype: Genotype, table: LatencyTable, clock?: () => number): Promise<GenotypeLatency> {
  const measured = await measureGenotypeLatency(genotype, table, clock ? { clock } : {});
  return { predicted: predictedLatency(genotype, table), measured };
}

/** The network's expected latency under its current alphas, as a number. */
function expectedLatencyOf(net: SearchNetwork, table: LatencyTable): number {
  return tf.tidy(() => expectedLatency([net.alphas.normal, net.alphas.reduce], table).dataSync()[0] as number);
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** Whether the last record of stage `index` (0-based) ended it early. */
const stageStopped = (history: SearchEpoch[], index: number) => {
  const last = history.at(-1);
  return last !== undefined && last.stage === index + 1 && last.stop !== undefined;
};

/** The early-stop rule an epoch's record trips, if any; only epochs that trained the alphas count. */
function stopOf(record: Omit<SearchEpoch, 'stop'>, options: SearchOptions): EarlyStop | undefined {
  if (!record.alphasTrained) return undefined;
  if (skipCollapse(record.skipConnects, options.maxSkip)) return 'skip-connects';
  if (rankingSettled(record.rankingUnchanged, options.stableEpochs)) return 'stable-ranking';
  return undefined;
}

/**
 * An architecture search on a dataset's training set: half of it trains the weights, the other half
 * the alphas ({@link BilevelOptimizer}), in epochs of full batches. `method: 'darts'` (Liu et al.
 * 2019) is one stage; `'pc-darts'` (Xu et al. 2020) the same with partial channels and edge
 * normalization; `'pdarts'` (Chen et al. 2019) runs {@link pdartsStages}: each stage a fresh, deeper
 * search network over the ops the previous stage's alphas kept ({@link pruneCandidateOps}), its
 * first epochs weights-only and its skip connections under scheduled dropout ({@link skipDropoutRate}),
 * and the final genotype keeps at most `skipCap` skip connections in the normal cell.
 *
 * Every epoch writes the alphas, the genotype they derive and a heatmap of softmax(alpha) per edge,
 * then a checkpoint (the stage and its candidates, weights with the norms' statistics, alphas, both
 * optimizers, the RNG), so a search stopped at any point and resumed ends exactly as an uninterrupted
 * one. Each epoch reports its genotype's skip-connect count per cell and how long the ranking of the
 * alphas has held; `maxSkip` and `stableEpochs` stop the search (a P-DARTS stage) early on them.
 * With `latencyWeight` the architecture step also lowers the expected latency; with a latency table
 * (measured for a positive weight, or given) each epoch reports it and its genotype's latency,
 * predicted by the table and measured on this backend at the table's shapes, and so does the result
 * for the final genotype.
 */
export async function runSearch(options: SearchOptions): Promise<SearchResult> {
  const settings = searchSettings(options);
  const { stages } = settings;
  const checkpointFolder = join(options.out, SEARCH_FILES.checkpoint);
  let resumeAt: StageProgress | undefined;
  if (options.resume) {
    if (!(await hasSearchCheckpoint(checkpointFolder))) {
      throw new ConvkitError(
        'no-checkpoint',
        `nothing to resume in ${options.out} (no ${SEARCH_FILES.checkpoint}/); start without --resume`,
      );
    }
    const saved = await readSearchCheckpointStage(checkpointFolder);
    if (JSON.stringify(withLegacyDefaults(saved.settings, settings)) !== JSON.stringify(settings)) {
      throw new ConvkitError(
        'resume-mismatch',
        `the search in ${options.out} ran with ${JSON.stringify(saved.settings)}; resume with the same settings, or start again without --resume`,
      );
    }
    resumeAt = saved.stage;
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
  const table = await searchLatencyTable(settings, data.shape, options.out, options.resume ?? false, options.latencyClock);
  const weight = settings.latencyWeight;
  const pdarts = settings.method === 'pdarts';
  const history: SearchEpoch[] = [];
  const totalEpochs = stages.reduce((n, stage) => n + stage.epochs, 0);
  const started = performance.now();
  // work in cell-steps, so the ETA knows a stage of 17 cells steps slower than one of 5
  let workDone = 0;
  let ops: CandidateOps | undefined;
  let alphas: AlphaValues | undefined;
  for (let index = resumeAt?.index ?? 0; index < stages.length; index++) {
    const stage = stages[index] as SearchStage;
    const resuming = resumeAt !== undefined && index === resumeAt.index;
    if (resuming) ops = resumeAt?.ops ?? undefined;
    const net = new SearchNetwork(
      {
        channels: settings.channels,
        layers: stage.layers,
        numClasses: data.numClasses,
        inputShape: data.shape,
        partialChannels: settings.partialChannels,
        edgeNormalization: settings.method === 'pc-darts',
        ...(ops ? { ops } : {}),
      },
      rng,
    );
    const optimizer = new BilevelOptimizer(net, {
      order: settings.order as 1 | 2,
      epochs: stage.epochs,
      weightLearningRate: settings.learningRate,
      weightMinLearningRate: settings.minLearningRate,
      alphaLearningRate: settings.archLearningRate,
      alphaDecay: settings.archWeightDecay,
      ...(table && weight > 0
        ? { architecturePenalty: ([normal, reduce]) => tf.mul(weight, expectedLatency([normal as tf.Tensor, reduce as tf.Tensor], table)) }
        : {}),
    });
    try {
      let firstEpoch = 0;
      if (resuming) {
        const checkpoint = await readSearchCheckpoint(checkpointFolder, net);
        optimizer.setState(checkpoint.optimizer);
        rng.setState(checkpoint.rng);
        history.push(...(checkpoint.history as SearchEpoch[]));
        firstEpoch = checkpoint.stage.epochsDone;
      }
      for (let epoch = firstEpoch; epoch < stage.epochs && !stageStopped(history, index); epoch++) {
        const number = history.length + 1;
        const epochStart = performance.now();
        net.skipDropout = skipDropoutRate(stage, epoch);
        const alphasTrained = epoch >= stage.warmupEpochs;
        const rankingBefore = alphaRanking(net.alphaValues());
        const plan = epochPlan(halves, settings.batchSize, rng);
        const trainLosses: number[] = [];
        const validationLosses: number[] = [];
        for (const [step, pair] of plan.entries()) {
          if (options.signal?.aborted)
            throw new ConvkitError('search-aborted', `search stopped in epoch ${number}; continue it with --resume`);
          const train = searchBatch(halves.train, pair.train, statistics);
          const validation = searchBatch(halves.validation, pair.validation, statistics);
          const losses = await (alphasTrained
            ? optimizer.step(train, validation, epoch)
            : optimizer.warmupStep(train, validation, epoch)
          ).finally(() => {
            disposeBatch(train);
            disposeBatch(validation);
          });
          trainLosses.push(losses.trainLoss);
          validationLosses.push(losses.validationLoss);
          workDone += stage.layers;
          const later = stages.slice(index + 1).reduce((n, s) => n + s.epochs * s.layers, 0);
          const workLeft = ((stage.epochs - epoch - 1) * stage.layers + later) * plan.length + (plan.length - step - 1) * stage.layers;
          options.onProgress?.({
            epoch: number - 1,
            step,
            stepsPerEpoch: plan.length,
            epochs: totalEpochs,
            stage: index + 1,
            stages: stages.length,
            trainLoss: losses.trainLoss,
            validationLoss: losses.validationLoss,
            etaSeconds: ((performance.now() - started) / 1000 / workDone) * workLeft,
          });
        }
        const epochAlphas = net.alphaValues();
        const genotype = deriveGenotype(epochAlphas);
        const previous = history.at(-1);
        const heldBefore = previous?.stage === index + 1 && previous.alphasTrained ? previous.rankingUnchanged : 0;
        const unchanged = alphasTrained && sameRanking(rankingBefore, alphaRanking(epochAlphas));
        // the epoch's time is its steps', before the genotype's ops are timed
        const seconds = (performance.now() - epochStart) / 1000;
        const measured = {
          epoch: number,
          stage: index + 1,
          alphasTrained,
          trainLoss: mean(trainLosses),
          validationLoss: mean(validationLosses),
          seconds,
          genotype,
          skipConnects: countSkipConnects(genotype),
          rankingUnchanged: unchanged ? heldBefore + 1 : 0,
          ...(pdarts ? { skipDropout: net.skipDropout } : {}),
          ...(table && {
            latency: { expected: expectedLatencyOf(net, table), ...(await genotypeLatency(genotype, table, options.latencyClock)) },
          }),
        };
        const stop = stopOf(measured, options);
        const record: SearchEpoch = stop ? { ...measured, stop } : measured;
        history.push(record);
        await writeEpochFiles(options.out, record, epochAlphas);
        await writeFileAtomic(join(options.out, SEARCH_FILES.history), `${JSON.stringify({ settings, history }, null, 2)}\n`);
        await writeSearchCheckpoint(checkpointFolder, net, {
          settings,
          epochsDone: history.length,
          stage: { index, ops: ops ?? null, epochsDone: epoch + 1 },
          rng: rng.getState(),
          history,
          optimizer: await optimizer.getState(),
        });
        options.onEpoch?.(record);
      }
      alphas = net.alphaValues();
      const next = stages[index + 1];
      if (next) ops = pruneCandidateOps(alphas, next.ops);
    } finally {
      optimizer.dispose();
      net.dispose();
    }
  }
  const final = alphas as AlphaValues;
  const genotype = deriveGenotype(final, settings.skipCap === null ? {} : { skipCap: settings.skipCap });
  const last = history.at(-1);
  // the last epoch's genotype was measured already, unless P-DARTS's skip cap changed it
  const latency =
    table &&
    (last?.latency && JSON.stringify(last.genotype) === JSON.stringify(genotype)
      ? { predicted: last.latency.predicted, measured: last.latency.measured }
      : await genotypeLatency(genotype, table, options.latencyClock));
  const genotypeFile = join(options.out, SEARCH_FILES.genotype);
  await writeFileAtomic(genotypeFile, `${JSON.stringify({ epoch: history.length, genotype, ...(latency && { latency }) }, null, 2)}\n`);
  const finalStageEpochs = history.filter((e) => e.stage === stages.length).length;
  return {
    genotype,
    alphas: final,
    history,
    genotypeFile,
    seconds: history.reduce((s, e) => s + e.seconds, 0),
    ...(last?.stop && finalStageEpochs < (stages.at(-1) as SearchStage).epochs
      ? { stoppedEarly: { epoch: last.epoch, reason: last.stop, skipConnects: last.skipConnects } }
      : {}),
    ...(latency && { latency }),
  };
}
