import { ConvkitError } from '@convkit/core';
import { checkSkipCap } from '../derive-genotype.js';
import { checkPartialChannels } from '../partial-channels.js';
import { PRIMITIVES } from '../primitives.js';
import { checkStableEpochs } from './ranking-guard.js';
import type { SearchOptions } from './run-search.js';
import { PDARTS_DEFAULTS, pdartsStages, type SearchStage } from './search-stages.js';
import { checkMaxSkip } from './skip-guard.js';

/**
 * The search methods: DARTS (Liu et al. 2019); PC-DARTS (Xu et al. 2020): partial channels and edge
 * normalization; P-DARTS (Chen et al. 2019): stages of growing depth over a pruned op set.
 */
export const SEARCH_METHODS = ['darts', 'pc-darts', 'pdarts'] as const;

/** One of {@link SEARCH_METHODS}. */
export type SearchMethod = (typeof SEARCH_METHODS)[number];

/** PC-DARTS's sampling ratio on CIFAR-10: each edge's ops see a quarter of the channels. */
const PC_DARTS_PARTIAL_CHANNELS = 4;

/** DARTS's search length and depth on CIFAR-10. */
const DARTS_EPOCHS = 50;
const DARTS_LAYERS = 8;

/**
 * The optimizers' rates (DARTS, Section 3 of its paper and the reference's `train_search.py`): the
 * weights' SGD from 0.025 down a cosine to 0.001, the alphas' Adam at 3e-4 with L2 1e-3. P-DARTS
 * (Section 4.1) takes the alphas at 6e-4 and the weights' cosine down to 0.
 */
const RATES = {
  darts: { learningRate: 0.025, minLearningRate: 0.001, archLearningRate: 3e-4, archWeightDecay: 1e-3 },
  pdarts: { learningRate: 0.025, minLearningRate: 0, archLearningRate: 6e-4, archWeightDecay: 1e-3 },
} as const;

/** The options {@link searchSettings} reads: those of {@link runSearch} that shape the run. */
export type SearchSettingsOptions = Omit<SearchOptions, 'out' | 'registry' | 'resume' | 'signal' | 'onProgress' | 'onEpoch'>;

/** Everything that shapes a search's result, as its checkpoint records it; a resume must match it. */
export type SearchSettings = ReturnType<typeof searchSettings>;

const P_DARTS_ONLY = ['stageLayers', 'stageOps', 'skipDropout', 'warmupEpochs', 'skipCap'] as const;
const FLAG = {
  stageLayers: '--stage-layers',
  stageOps: '--stage-ops',
  skipDropout: '--skip-dropout',
  warmupEpochs: '--warmup-epochs',
  skipCap: '--skip-cap',
} as const;

function checkMethodOptions(method: SearchMethod, options: SearchSettingsOptions): void {
  if (!SEARCH_METHODS.includes(method)) {
    throw new ConvkitError('bad-option', `unknown search method "${method}"; use ${SEARCH_METHODS.join(', ')}`);
  }
  if (method !== 'pc-darts' && options.partialChannels !== undefined) {
    throw new ConvkitError('bad-option', `partial channels are PC-DARTS's; add --method pc-darts, or leave out --partial-channels`);
  }
  const misplaced = P_DARTS_ONLY.find((key) => options[key] !== undefined);
  if (method !== 'pdarts' && misplaced) {
    throw new ConvkitError('bad-option', `${FLAG[misplaced]} is a P-DARTS option; add --method pdarts, or leave it out`);
  }
  if (method !== 'pdarts') return;
  if (options.layers !== undefined) {
    throw new ConvkitError('bad-option', `P-DARTS sets the depth per stage; give --stage-layers (e.g. 5,11,17) instead of --layers`);
  }
  if (options.order === 2) {
    throw new ConvkitError('bad-option', `P-DARTS searches with the first-order gradient, as its paper; leave out --order 2`);
  }
  if ((options.latencyWeight ?? 0) > 0 || options.latencyTable !== undefined) {
    throw new ConvkitError(
      'bad-option',
      `the latency term is not available with P-DARTS (its stages change the network's depth); leave out --latency-weight`,
    );
  }
}

/** The stages of a search: P-DARTS's from its options, or DARTS's one stage of all eight ops. */
function stagesOf(method: SearchMethod, options: SearchSettingsOptions): SearchStage[] {
  if (method === 'pdarts') return pdartsStages(options);
  const stage = { layers: options.layers ?? DARTS_LAYERS, ops: PRIMITIVES.length, epochs: options.epochs ?? DARTS_EPOCHS };
  return [{ ...stage, warmupEpochs: 0, skipDropout: 0 }];
}

/** A search's settings with their defaults, checked: one-line errors for what does not fit together. */
export function searchSettings(options: SearchSettingsOptions) {
  const method = options.method ?? 'darts';
  checkMethodOptions(method, options);
  const stages = stagesOf(method, options);
  const settings = {
    data: options.data,
    method,
    partialChannels: method === 'pc-darts' ? (options.partialChannels ?? PC_DARTS_PARTIAL_CHANNELS) : 1,
    order: options.order ?? 1,
    channels: options.channels ?? 16,
    /** The last stage's depth (the only one's in DARTS). */
    layers: (stages.at(-1) as SearchStage).layers,
    /** Per stage. */
    epochs: (stages[0] as SearchStage).epochs,
    batchSize: options.batchSize ?? 64,
    seed: options.seed ?? 0,
    trainImages: options.trainImages ?? null,
    latencyWeight: options.latencyWeight ?? 0,
    latencyTable: options.latencyTable ?? null,
    ...rates(method, options),
    stages,
    /** P-DARTS's cap on the final normal cell's skip connections; null: none. */
    skipCap: method === 'pdarts' ? (options.skipCap ?? PDARTS_DEFAULTS.skipCap) : null,
  };
  if (!(Number.isInteger(settings.batchSize) && settings.batchSize > 0)) {
    throw new ConvkitError('bad-option', `batch size must be a positive integer, got ${settings.batchSize}; try --batch-size 64`);
  }
  checkSkipCap(settings.skipCap ?? undefined);
  checkMaxSkip(options.maxSkip);
  checkStableEpochs(options.stableEpochs);
  if (method === 'pc-darts') checkPartialChannels(settings.partialChannels, settings.channels);
  return settings;
}

/** The optimizers' rates of a search, the method's defaults where not given, checked. */
function rates(method: SearchMethod, options: SearchSettingsOptions) {
  const defaults = RATES[method === 'pdarts' ? 'pdarts' : 'darts'];
  const chosen = {
    learningRate: options.learningRate ?? defaults.learningRate,
    minLearningRate: defaults.minLearningRate as number,
    archLearningRate: options.archLearningRate ?? defaults.archLearningRate,
    archWeightDecay: options.archWeightDecay ?? defaults.archWeightDecay,
  };
  const { learningRate, archLearningRate, archWeightDecay } = chosen;
  if (!(Number.isFinite(learningRate) && learningRate > 0 && learningRate >= defaults.minLearningRate)) {
    throw new ConvkitError(
      'bad-option',
      `learning rate must be a positive number of at least the cosine schedule's final ${defaults.minLearningRate}, got ${learningRate}; try --learning-rate ${defaults.learningRate}`,
    );
  }
  if (!(Number.isFinite(archLearningRate) && archLearningRate > 0)) {
    throw new ConvkitError(
      'bad-option',
      `architecture learning rate must be a positive number, got ${archLearningRate}; try --arch-learning-rate ${defaults.archLearningRate}`,
    );
  }
  if (!(Number.isFinite(archWeightDecay) && archWeightDecay >= 0)) {
    throw new ConvkitError(
      'bad-option',
      `architecture weight decay must be a number of at least 0, got ${archWeightDecay}; try --arch-weight-decay ${defaults.archWeightDecay}`,
    );
  }
  return chosen;
}

/**
 * A checkpoint's `saved` settings with the optimizers' rates of `current`'s method filled in where a
 * checkpoint written before they were settings lacks them (those searches ran at the defaults), in
 * `current`'s key order, so such a search resumes at its own rates and refuses others.
 */
export function withLegacyDefaults(saved: Record<string, unknown>, current: SearchSettings): Record<string, unknown> {
  const defaults = RATES[current.method === 'pdarts' ? 'pdarts' : 'darts'];
  return Object.fromEntries(
    Object.keys({ ...current, ...saved }).map((key) => [key, key in saved ? saved[key] : (defaults as Record<string, unknown>)[key]]),
  );
}
