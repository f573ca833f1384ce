import type { SeededRng } from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LabeledImages } from '../data/labeled-images.js';
import { channelStatistics } from '../data/normalization.js';
import type { TrainerState } from './checkpoint.js';
import type { TrainConfig } from './train-config.js';

/** What a fresh run starts from: its names, model, training images, configuration and generator. */
export interface FreshRun {
  arch: string;
  /** The `data` the run was started with (a registered name, a folder, or what a page calls its images). */
  data: string;
  dataset: string;
  model: LayersModel;
  train: LabeledImages;
  config: TrainConfig;
  rng: SeededRng;
}

/** Shapes of a model's weights, in order. */
export function weightShapes(model: LayersModel): number[][] {
  return model.weights.map((w) => [...w.shape] as number[]);
}

/** The trainer state of a run at epoch 0: normalization measured on its training images, no history. */
export function freshTrainerState(run: FreshRun): Omit<TrainerState, 'optimizer'> {
  return {
    format: 1,
    arch: run.arch,
    data: run.data,
    weightShapes: weightShapes(run.model),
    dataset: run.dataset,
    classNames: [...run.train.classNames],
    normalization: channelStatistics(run.train),
    config: run.config,
    epoch: 0,
    step: 0,
    rng: run.rng.getState(),
    history: [],
    best: null,
    bestEpoch: null,
    badEpochs: 0,
    stopped: false,
  };
}
