import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { confusionMatrixSvg } from '../src/report/confusion-svg.js';
import { svgToPng } from '../src/report/png.js';
import { trainingCurveSvg } from '../src/report/run-files.js';
import { niceTicks } from '../src/report/svg-chart.js';
import type { EpochMetrics } from '../src/train/epoch-metrics.js';
import type { StepMetrics } from '../src/train/step-metrics.js';

const STEPS_PER_EPOCH = 50;
const history: EpochMetrics[] = [1, 2, 3].map((epoch) => ({
  epoch,
  trainLoss: 1 / epoch,
  trainAccuracy: 0.3 * epoch,
  valLoss: 1.1 / epoch,
  valAccuracy: 0.28 * epoch,
  learningRate: 0.01,
  seconds: 1,
  imagesPerSecond: 10,
}));
const steps: StepMetrics[] = Array.from({ length: 3 * STEPS_PER_EPOCH }, (_, i) => ({
  epoch: Math.floor(i / STEPS_PER_EPOCH) + 1,
  step: i + 1,
  loss: 2 / (1 + i / 20) + 0.1 * Math.sin(i),
  accuracy: Math.min(1, i / 150 + 0.05 * Math.cos(i)),
  learningRate: 0.01,
}));

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const pathPoints = (svg: string) => [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => (m[1] as string).split(' ').length);

function decode(png: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(png));
}

function inkedPixels(image: PNG): number {
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4) if ((image.data[i] as number) < 200) count += 1;
  return count;
}

describe('ticks', () => {
  it('are round numbers that cover the data', () => {
    expect(niceTicks([0.137, 2.9])).toEqual([0, 1, 2, 3]);
    expect(niceTicks([1, 3])).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(niceTicks([0.02, 0.98])).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('the training curve', () => {
  const svg = trainingCurveSvg(history, steps, STEPS_PER_EPOCH);

  it('draws every step and the epoch means, with axis labels, titles and round ticks', () => {
    // Per panel: one per-step path with a point per step, then train and validation epoch means.
    expect(pathPoints(svg)).toEqual([150, 3, 3, 150, 3, 3]);
    const labels = texts(svg);
    for (const label of ['Loss', 'Accuracy', 'epoch', 'cross-entropy', 'top-1', 'train (per step)', 'train', 'validation']) {
      expect(labels).toContain(label);
    }
    // Epoch ticks are whole epochs; accuracy spans 0 to 1 in steps of 0.2.
    expect(labels.slice(labels.indexOf('Accuracy') + 1, labels.indexOf('Accuracy') + 11)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '0.0',
      '0.2',
      '0.4',
      '0.6',
      '0.8',
      '1.0',
    ]);
  });

  it('keeps the legend out of the plot area', () => {
    const plotTop = Number(/<rect x="\d+" y="(\d+)" width="\d+" height="\d+" fill="none"/.exec(svg)?.[1]);
    const legend = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)">(train \(per step\)|train|validation)<\/text>/g)];
    expect(legend.length).toBe(6);
    for (const entry of legend) expect(Number(entry[1])).toBeLessThan(plotTop);
  });

  it('renders to a PNG of twice its size that is not blank', async () => {
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    const height = Number(/<svg[^>]* height="(\d+)"/.exec(svg)?.[1]);
    const image = decode(await svgToPng(svg));
    expect([image.width, image.height]).toEqual([2 * width, 2 * height]);
    expect(inkedPixels(image)).toBeGreaterThan(1000);
  });
});

describe('the confusion matrix picture', () => {
  const classes = ['cat', 'dog', 'bird'];
  const confusion = [
    [8, 2, 0],
    [1, 9, 0],
    [0, 3, 7],
  ];
  const svg = confusionMatrixSvg(confusion, classes);

  it('has one shaded cell per pair with its count, class names on both axes and axis labels', () => {
    expect(svg.match(/<rect x="\d+" y="\d+" width="36" height="36"/g)).toHaveLength(9);
    const labels = texts(svg);
    for (const count of ['8', '2', '0', '1', '9', '3', '7']) expect(labels).toContain(count);
    for (const name of classes) expect(labels.filter((t) => t === name)).toHaveLength(2);
    expect(labels).toEqual(expect.arrayContaining(['true class', 'predicted class', 'Confusion matrix']));
    // The diagonal of a mostly-right model is the darkest: 9 of 10 dogs beats 2 of 10 cats called dogs.
    const fills = [...svg.matchAll(/fill="rgb\((\d+),/g)].map((m) => Number(m[1]));
    expect(fills[4]).toBeLessThan(fills[1] as number);
  });

  it('renders to a non-blank PNG', async () => {
    const image = decode(await svgToPng(svg, 1));
    expect(image.width).toBe(Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]));
    expect(inkedPixels(image)).toBeGreaterThan(500);
  });
});
