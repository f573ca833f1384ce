import { readFileSync } from 'node:fs';
import type { ModelSummary } from '@convkit/core';

/** One network's figures, as test/fixtures/torchvision_dense_mobile_counts.py printed them. */
interface TorchvisionFigures {
  trainable_params: number;
  /** Conv and linear multiply-accumulates at 224x224 (ImageNet forms). */
  macs_224?: number;
  /** The same at 32x32 (the CIFAR DenseNet-BC). */
  macs_32?: number;
}

/** torchvision's figures by torchvision model name (`densenet121`, `mobilenet_v2_0.5`, `densenet_bc_100_cifar`). */
export const torchvisionCounts = JSON.parse(
  readFileSync(new URL('../fixtures/torchvision_dense_mobile_counts.json', import.meta.url), 'utf8'),
) as Record<string, TorchvisionFigures>;

/**
 * Multiply-accumulates of a model's convolutions and fully connected layers alone: what torchvision's
 * documented GFLOPS and the papers' mult-adds count. `models summary` totals also count batch norm,
 * activations, adds and pools at one op per element (4.3% more for MobileNet v2, whose cheap
 * depthwise convolutions leave those a larger share).
 */
export function convAndDenseMacs(summary: ModelSummary): number {
  return summary.layers.filter((l) => /conv2d$|^dense$/i.test(l.className)).reduce((sum, l) => sum + l.macs, 0);
}
