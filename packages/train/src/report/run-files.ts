import { join } from 'node:path';
import { writeFileAtomic } from '@convkit/core';
import type { EpochMetrics } from '../train/epoch-metrics.js';
import { type ChartSeries, renderCharts } from './svg-chart.js';

/** Names of the files a training run writes into its output folder. */
export const RUN_FILES = { metrics: 'metrics.jsonl', curve: 'training-curve.svg', summary: 'summary.json', model: 'model' } as const;

function series(history: EpochMetrics[], name: string, color: string, pick: (m: EpochMetrics) => number | undefined): ChartSeries[] {
  const points = history.flatMap((m): [number, number][] => {
    const value = pick(m);
    return value === undefined ? [] : [[m.epoch, value]];
  });
  return points.length > 0 ? [{ name, color, points }] : [];
}

/** The training curve (loss and accuracy per epoch, training and validation) as an SVG document. */
export function trainingCurveSvg(history: EpochMetrics[]): string {
  return renderCharts([
    {
      title: 'Loss',
      xLabel: 'epoch',
      yLabel: 'cross-entropy',
      series: [...series(history, 'train', '#1f77b4', (m) => m.trainLoss), ...series(history, 'validation', '#d62728', (m) => m.valLoss)],
    },
    {
      title: 'Accuracy',
      xLabel: 'epoch',
      yLabel: 'top-1',
      series: [
        ...series(history, 'train', '#1f77b4', (m) => m.trainAccuracy),
        ...series(history, 'validation', '#d62728', (m) => m.valAccuracy),
      ],
    },
  ]);
}

/**
 * Rewrites `metrics.jsonl` (one JSON object per epoch) and `training-curve.svg` from the history, each
 * atomically; rewriting whole files keeps them consistent with the checkpoint after a resume.
 */
export async function writeRunReport(out: string, history: EpochMetrics[]): Promise<void> {
  await writeFileAtomic(join(out, RUN_FILES.metrics), history.map((m) => JSON.stringify(m)).join('\n') + (history.length > 0 ? '\n' : ''));
  await writeFileAtomic(join(out, RUN_FILES.curve), trainingCurveSvg(history));
}
