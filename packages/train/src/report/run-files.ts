import { join } from 'node:path';
import { writeFileAtomic } from '@convkit/core';
import type { EpochMetrics } from '../train/epoch-metrics.js';
import type { StepMetrics } from '../train/step-metrics.js';
import { confusionMatrixSvg } from './confusion-svg.js';
import { svgToPng } from './png.js';
import { type ChartSeries, renderCharts } from './svg-chart.js';

/** Names of the files a training run writes into its output folder. */
export const RUN_FILES = {
  metrics: 'metrics.jsonl',
  curve: 'training-curve.svg',
  curvePng: 'training-curve.png',
  confusion: 'confusion-matrix.svg',
  confusionPng: 'confusion-matrix.png',
  summary: 'summary.json',
  model: 'model',
} as const;

const TRAIN = '#1f77b4';
const VALIDATION = '#d62728';

function epochSeries(history: EpochMetrics[], name: string, color: string, pick: (m: EpochMetrics) => number | undefined): ChartSeries[] {
  const points = history.flatMap((m): [number, number][] => {
    const value = pick(m);
    return value === undefined ? [] : [[m.epoch, value]];
  });
  return points.length > 0 ? [{ name, color, points }] : [];
}

function stepSeries(steps: StepMetrics[], stepsPerEpoch: number, pick: (s: StepMetrics) => number): ChartSeries[] {
  // Step n of the run ends at epoch n / stepsPerEpoch, so steps and epoch means share the x axis.
  const points = steps.map((s): [number, number] => [s.step / stepsPerEpoch, pick(s)]);
  return points.length > 0 ? [{ name: 'train (per step)', color: TRAIN, points, dots: false, width: 1, opacity: 0.35 }] : [];
}

/**
 * The training curve as an SVG document: loss and accuracy of every step (thin) with the epoch means
 * of training and validation (dotted at each epoch end), against epochs.
 */
export function trainingCurveSvg(history: EpochMetrics[], steps: StepMetrics[] = [], stepsPerEpoch = 1): string {
  return renderCharts([
    {
      title: 'Loss',
      xLabel: 'epoch',
      yLabel: 'cross-entropy',
      series: [
        ...stepSeries(steps, stepsPerEpoch, (s) => s.loss),
        ...epochSeries(history, 'train', TRAIN, (m) => m.trainLoss),
        ...epochSeries(history, 'validation', VALIDATION, (m) => m.valLoss),
      ],
    },
    {
      title: 'Accuracy',
      xLabel: 'epoch',
      yLabel: 'top-1',
      yRange: [0, 1],
      series: [
        ...stepSeries(steps, stepsPerEpoch, (s) => s.accuracy),
        ...epochSeries(history, 'train', TRAIN, (m) => m.trainAccuracy),
        ...epochSeries(history, 'validation', VALIDATION, (m) => m.valAccuracy),
      ],
    },
  ]);
}

/** Rewrites `training-curve.svg` atomically (each epoch, so it always matches the checkpoint). */
export async function writeTrainingCurve(out: string, history: EpochMetrics[], steps: StepMetrics[], stepsPerEpoch: number): Promise<void> {
  await writeFileAtomic(join(out, RUN_FILES.curve), trainingCurveSvg(history, steps, stepsPerEpoch));
}

/** Writes an SVG picture and its PNG rendering beside it. */
export async function writePicture(svgPath: string, svg: string): Promise<void> {
  await writeFileAtomic(svgPath, svg);
  await writeFileAtomic(svgPath.replace(/\.svg$/, '.png'), await svgToPng(svg));
}

/** Writes the run's closing pictures: the training curve and the test set's confusion matrix, each as SVG and PNG. */
export async function writeFinalPictures(
  out: string,
  curve: { history: EpochMetrics[]; steps: StepMetrics[]; stepsPerEpoch: number },
  confusion: number[][],
  classNames: readonly string[],
): Promise<void> {
  await writePicture(join(out, RUN_FILES.curve), trainingCurveSvg(curve.history, curve.steps, curve.stepsPerEpoch));
  await writePicture(join(out, RUN_FILES.confusion), confusionMatrixSvg(confusion, classNames, 'Confusion matrix (test set)'));
}
