import { readFileSync } from 'node:fs';
import { buildWithZeroWeights, Registry } from '@convkit/core';
import { plugin as layersPlugin } from '@convkit/layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { plugin } from '../../src/plugin.js';

/** A registry holding this package's plugin and the layers it builds with, as the CLI's holds them after running their hooks. */
export const registry = new Registry().use(layersPlugin).use(plugin);

/** Builds architecture `name` with all-zero weights: structure, parameter counts and MACs without drawing random weights. */
export function buildForCounting(name: string, options?: Record<string, unknown>): LayersModel {
  return buildWithZeroWeights(() => registry.create(name, options));
}

/** One reference network's figures, as a fixture script printed them. */
export interface ReferenceCounts {
  trainable_params: number;
  /** Multiply-accumulates of the convolutions and linear layers (biases excluded) at `input`. */
  macs: number;
  input: number;
}

/** Counts of the paper forms written in plain PyTorch by test/fixtures/paper_counts.py, by network (`resnet20_A`, ...). */
export const paperCounts = JSON.parse(readFileSync(new URL('../fixtures/paper_counts.json', import.meta.url), 'utf8')) as Record<
  string,
  ReferenceCounts
>;

/** One torchvision model's figures, as test/fixtures/torchvision_counts.py printed them. */
export interface TorchvisionCounts extends ReferenceCounts {
  /** Module paths that own weights (`conv1`, `layer1.0.downsample.0`, `fc`), for the models whose names are compared. */
  weighted_modules?: string[];
}

/** torchvision's figures by torchvision model name (`resnet50`, `wide_resnet50_2`, ...). */
export const torchvisionCounts = JSON.parse(
  readFileSync(new URL('../fixtures/torchvision_counts.json', import.meta.url), 'utf8'),
) as Record<string, TorchvisionCounts>;

/** `n` with thousands separators, for test names that quote published figures. */
export function figure(n: number): string {
  return n.toLocaleString('en-US');
}
