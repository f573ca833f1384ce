import { join } from 'node:path';
import { writeFileAtomic } from '@convkit/core';
import { writePicture } from '@convkit/train';
import type { AlphaValues } from '../search-network.js';
import { alphaHeatmapSvg } from './alpha-heatmap.js';
import type { SearchEpoch } from './run-search.js';

/** The files a search writes in its output folder. */
export const SEARCH_FILES = {
  /** The latest epoch's genotype; when the search ends, the final one (in P-DARTS with the skip cap applied). */
  genotype: 'genotype.json',
  alphas: 'alphas.json',
  history: 'search.json',
  checkpoint: 'checkpoint',
  /** Per epoch: `epoch-<n>/alphas.json`, `genotype.json`, `alphas.svg` and `alphas.png` (the softmax(alpha) heatmap). */
  epochFolder: (epoch: number) => `epoch-${String(epoch).padStart(3, '0')}`,
} as const;

/**
 * Writes an epoch's folder (alphas, genotype with its latency when the search has a latency table,
 * heatmap) and makes its alphas and genotype the search's latest.
 */
export async function writeEpochFiles(out: string, epoch: SearchEpoch, alphas: AlphaValues): Promise<void> {
  const folder = join(out, SEARCH_FILES.epochFolder(epoch.epoch));
  const latency = epoch.latency && { latency: epoch.latency };
  const genotypeJson = `${JSON.stringify({ epoch: epoch.epoch, genotype: epoch.genotype, ...latency }, null, 2)}\n`;
  const alphasJson = `${JSON.stringify({ epoch: epoch.epoch, alphas }, null, 2)}\n`;
  await writeFileAtomic(join(folder, SEARCH_FILES.alphas), alphasJson);
  await writeFileAtomic(join(folder, SEARCH_FILES.genotype), genotypeJson);
  await writePicture(join(folder, 'alphas.svg'), alphaHeatmapSvg(alphas, `softmax(alpha) after epoch ${epoch.epoch}`));
  await writeFileAtomic(join(out, SEARCH_FILES.alphas), alphasJson);
  await writeFileAtomic(join(out, SEARCH_FILES.genotype), genotypeJson);
}
