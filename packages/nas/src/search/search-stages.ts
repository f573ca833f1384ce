import { ConvkitError } from '@convkit/core';
import { PRIMITIVES } from '../primitives.js';

/** One stage of a search: a search network of `layers` cells over `ops` candidates per edge, trained `epochs` epochs. */
export interface SearchStage {
  layers: number;
  /** Candidates per edge: all eight in the first stage, then what the previous stage's pruning kept. */
  ops: number;
  epochs: number;
  /** The first epochs train only the weights, so the alphas start from a network that has learned something (P-DARTS: 10 of 25). */
  warmupEpochs: number;
  /** Initial dropout rate on the identity skip connections ({@link skipDropoutRate} schedules it; 0: none). */
  skipDropout: number;
}

/**
 * P-DARTS's CIFAR-10 search (Chen et al. 2019, Section 4.1): three stages of 5, 11 and 17 cells over
 * 8, 5 and 3 candidates per edge, skip dropout starting at 0, 0.4 and 0.7, 25 epochs a stage of which
 * the first 10 (two fifths) train the weights only, and at most 2 skip connections in the final
 * normal cell.
 */
export const PDARTS_DEFAULTS = {
  stageLayers: [5, 11, 17],
  stageOps: [8, 5, 3],
  skipDropout: [0, 0.4, 0.7],
  epochs: 25,
  warmupFraction: 10 / 25,
  skipCap: 2,
} as const;

/** What {@link pdartsStages} reads; each list has one entry per stage. */
export interface PdartsStageOptions {
  stageLayers?: readonly number[];
  stageOps?: readonly number[];
  skipDropout?: readonly number[];
  /** Epochs per stage. */
  epochs?: number;
  /** Weights-only epochs per stage; two fifths of `epochs`, rounded, by default (the paper's 10 of 25). */
  warmupEpochs?: number;
}

const bad = (message: string) => new ConvkitError('bad-option', message);

/** P-DARTS's stages from the options, the paper's where absent, checked. */
export function pdartsStages(options: PdartsStageOptions): SearchStage[] {
  const layers = options.stageLayers ?? PDARTS_DEFAULTS.stageLayers;
  const ops = options.stageOps ?? PDARTS_DEFAULTS.stageOps.slice(0, layers.length);
  const dropout = options.skipDropout ?? PDARTS_DEFAULTS.skipDropout.slice(0, layers.length);
  const epochs = options.epochs ?? PDARTS_DEFAULTS.epochs;
  const warmup = options.warmupEpochs ?? Math.round(PDARTS_DEFAULTS.warmupFraction * epochs);
  if (layers.length === 0 || ops.length !== layers.length || dropout.length !== layers.length) {
    throw bad(
      `P-DARTS needs one entry per stage in --stage-layers, --stage-ops and --skip-dropout; got ${layers.length}, ${ops.length} and ${dropout.length} (the paper: 5,11,17 / 8,5,3 / 0,0.4,0.7)`,
    );
  }
  if (!layers.every((n) => Number.isInteger(n) && n >= 3))
    throw bad(`stage layers must be integers of at least 3, got ${layers.join(',')}`);
  const decreasing = ops.every((k, i) => Number.isInteger(k) && k >= 2 && (i === 0 ? k === PRIMITIVES.length : k < (ops[i - 1] as number)));
  if (!decreasing) {
    throw bad(
      `stage ops must start at all ${PRIMITIVES.length} and fall stage by stage to no fewer than 2, got ${ops.join(',')}; the paper uses 8,5,3`,
    );
  }
  if (!dropout.every((p) => Number.isFinite(p) && p >= 0 && p < 1))
    throw bad(`skip dropout rates must be in [0, 1), got ${dropout.join(',')}`);
  if (!(Number.isInteger(warmup) && warmup >= 0 && warmup < epochs)) {
    throw bad(`warm-up epochs must be an integer from 0 to epochs - 1 (${epochs - 1}), got ${warmup}`);
  }
  return layers.map((n, i) => ({ layers: n, ops: ops[i] as number, epochs, warmupEpochs: warmup, skipDropout: dropout[i] as number }));
}

/** How fast the skip dropout decays once the alphas train: by e^-0.2 an epoch, as the authors' code does. */
const DROPOUT_DECAY = 0.2;

/**
 * The skip dropout rate of `epoch` (0-based) in `stage`. P-DARTS decays the rate through each stage
 * (Section 3.3: a fixed rate would keep skip connections from ever winning, none would let them take
 * over); the authors' code lowers it linearly, from (E - 1) / E of the initial rate, over the
 * weights-only epochs, then restarts it at the initial rate when the alphas start training and
 * decays it by e^-0.2 per epoch. This is that schedule.
 */
export function skipDropoutRate(stage: SearchStage, epoch: number): number {
  const { skipDropout: rate, epochs, warmupEpochs } = stage;
  if (epoch < warmupEpochs) return (rate * (epochs - epoch - 1)) / epochs;
  return rate * Math.exp(-DROPOUT_DECAY * (epoch - warmupEpochs));
}
