import { readFileSync } from 'node:fs';
import { buildWithZeroWeights, Registry } from '@convkit/core';
import { plugin as layersPlugin } from '@convkit/layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { plugin } from '../../src/plugin.js';

/** A registry holding this package's plugin and the layers it builds with, as the CLI's holds them after running their hooks. */
export const registry = new Registry().use(layersPlugin).use(plugin);

/**
 * Builds architecture `name` with all-zero weights: structure, parameter counts and MACs without the
 * seconds that drawing 60-140 M random weights takes. Training tests build with `registry.create`.
 */
export function buildForCounting(name: string, options?: Record<string, unknown>): LayersModel {
  return buildWithZeroWeights(() => registry.create(name, options));
}

/** One torchvision model's figures, as test/fixtures/torchvision_counts.py printed them. */
interface TorchvisionFigures {
  trainable_params: number;
  macs_224: number;
}

/** torchvision's figures by torchvision model name (`vgg16_bn`, `googlenet_with_aux`, ...). */
export const torchvisionCounts = JSON.parse(
  readFileSync(new URL('../fixtures/torchvision_counts.json', import.meta.url), 'utf8'),
) as Record<string, TorchvisionFigures>;

/** `n` with thousands separators, for test names that quote published figures. */
export function figure(n: number): string {
  return n.toLocaleString('en-US');
}
