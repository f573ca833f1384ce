import { join } from 'node:path';
import { ConvkitError, writeFileAtomic } from '@convkit/core';
import { type LineChart, renderCharts, svgToPng } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { attentionOnImage, type ModuleAttention } from '../attention-on-image.js';
import { effectiveReceptiveField } from '../effective-receptive-field.js';
import { translationEquivariance } from '../equivariance.js';
import { convolutionTheorem, frequencyResponse } from '../frequency.js';
import { gradCam } from '../grad-cam.js';
import { gradientFlow } from '../gradient-flow.js';
import { requireLayer, runLayers, spatialLayers } from '../layer-outputs.js';
import {
  channelWeightsPicture,
  erfPicture,
  featureMapPicture,
  filterGridPicture,
  gradCamPicture,
  imagePicture,
  mapsOverImagePicture,
  spectrumPicture,
} from '../pictures/pictures.js';
import { encodePng, enlarge, type Raster } from '../pictures/raster.js';
import { seededNormalValues } from '../seeded-normal.js';
import { buildUntrained, type Subject, subjectImages } from './subject.js';

/** What every inspection takes besides the model. */
export interface InspectionOptions {
  /** Folder the pictures are written to. */
  out: string;
  /** Layer to inspect; each inspection has its default. */
  layer?: string;
  /** Image files to inspect with (feature maps, Grad-CAM, equivariance, gradient flow). */
  images?: string[];
  onWarning?: (message: string) => void;
}

/** What an inspection wrote and measured. */
export interface InspectionResult<T> {
  arch: string;
  model?: string;
  layer?: string;
  /** Pictures written, in order. */
  files: string[];
  data: T;
}

async function writePng(out: string, name: string, raster: Raster): Promise<string> {
  const path = join(out, name);
  await writeFileAtomic(path, encodePng(raster));
  return path;
}

async function writeChart(out: string, name: string, charts: LineChart[]): Promise<string> {
  const path = join(out, name);
  await writeFileAtomic(path, await svgToPng(renderCharts(charts, 560, 340)));
  return path;
}

/** The layer's kernel: the first 4-D weight (HWIO) of the named layer, or of the first convolution. */
function kernelOf(model: LayersModel, layer?: string): { layer: string; kernel: tf.Tensor4D } {
  if (layer !== undefined) requireLayer(model, layer);
  const found = model.layers.find((l) => (layer === undefined || l.name === layer) && l.getWeights().some((w) => w.rank === 4));
  if (!found) {
    throw new ConvkitError(
      'bad-layer',
      layer === undefined
        ? `${model.name} has no convolution with a 4-D kernel`
        : `layer ${layer} has no 4-D convolution kernel; pick a convolution layer`,
    );
  }
  return { layer: found.name, kernel: found.getWeights().find((w) => w.rank === 4) as tf.Tensor4D };
}

function describeFilters(kernel: tf.Tensor4D) {
  const [kh, kw, cin, cout] = kernel.shape;
  const w = kernel.dataSync();
  return Array.from({ length: cout }, (_, co) => {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < kh * kw * cin; i++) {
      const v = w[i * cout + co]!;
      sum += v;
      squares += v * v;
    }
    return { filter: co, sum, norm: Math.sqrt(squares) };
  });
}

/** `inspect filters`: the first (or named) convolution's filters as a grid. */
export async function inspectFilters(subject: Subject, options: InspectionOptions) {
  const { layer, kernel } = kernelOf(subject.model, options.layer);
  const files = [await writePng(options.out, 'filters.png', filterGridPicture(kernel))];
  return { arch: subject.arch, model: subject.folder, layer, files, data: { shape: kernel.shape, filters: describeFilters(kernel) } };
}

/** `inspect frequency`: the filters' magnitude spectra, and the convolution theorem checked on the first filter. */
export async function inspectFrequency(subject: Subject, options: InspectionOptions & { size?: number }) {
  const { layer, kernel } = kernelOf(subject.model, options.layer);
  const response = frequencyResponse(kernel, options.size ?? 32);
  const [kh, kw] = kernel.shape;
  const taps = kernel.dataSync();
  const first = Array.from({ length: kh }, (_, a) =>
    Array.from({ length: kw }, (__, b) => taps[(a * kw + b) * kernel.shape[2] * kernel.shape[3]]!),
  );
  const side = Math.max(16, kh, kw);
  const rng = seededNormalValues(side * side, subject.seed);
  const x = Array.from({ length: side }, (_, i) => Array.from(rng.subarray(i * side, (i + 1) * side)));
  const theorem = convolutionTheorem(x, first);
  const files = [await writePng(options.out, 'spectra.png', spectrumPicture(response))];
  return {
    arch: subject.arch,
    model: subject.folder,
    layer,
    files,
    data: {
      size: response.size,
      engine: response.engine,
      filters: response.filters,
      convolutionTheorem: { input: [side, side], kernel: [kh, kw], maxAbsError: theorem.maxAbsError, engine: theorem.engine },
    },
  };
}

/** `inspect feature-maps`: one layer's output channels for an image (default the first convolution's layer). */
export async function inspectFeatureMaps(subject: Subject, options: InspectionOptions) {
  const layer =
    options.layer ??
    spatialLayers(subject.model).find((n) =>
      subject.model
        .getLayer(n)
        .getWeights()
        .some((w) => w.rank === 4),
    );
  if (layer === undefined)
    throw new ConvkitError('bad-model', `${subject.model.name} has no convolution layer to show the maps of; pass --layer`);
  requireLayer(subject.model, layer);
  const { images, source } = await subjectImages(subject, { files: options.images?.slice(0, 1), count: 1, onWarning: options.onWarning });
  const maps = tf.tidy(() => runLayers(subject.model, images).get(layer)!);
  if (maps.rank !== 4)
    throw new ConvkitError(
      'bad-layer',
      `layer ${layer} outputs shape ${maps.shape.join('x')}, not a feature map; pick a convolution or pooling layer`,
    );
  const values = maps.dataSync();
  const c = maps.shape.at(-1)!;
  const channels = Array.from({ length: c }, (_, k) => {
    let sum = 0;
    let max = -Infinity;
    let zeros = 0;
    for (let p = k; p < values.length; p += c) {
      sum += values[p]!;
      max = Math.max(max, values[p]!);
      if (values[p] === 0) zeros++;
    }
    return { channel: k, mean: sum / (values.length / c), max, zeroFraction: zeros / (values.length / c) };
  });
  const input = enlarge(imagePicture(images), Math.max(1, Math.round(128 / images.shape[1])));
  const files = [await writePng(options.out, 'input.png', input), await writePng(options.out, 'feature-maps.png', featureMapPicture(maps))];
  const shape = maps.shape.slice(1);
  tf.dispose([maps, images]);
  return { arch: subject.arch, model: subject.folder, layer, files, data: { image: source, shape, channels } };
}

/** `inspect erf`: the effective receptive field of the centre unit of a layer (default the last spatial one), on random inputs. */
export async function inspectErf(subject: Subject, options: InspectionOptions & { count?: number }) {
  const layer = options.layer ?? spatialLayers(subject.model).at(-1);
  if (layer === undefined) throw new ConvkitError('bad-model', `${subject.model.name} has no layer with a spatial output`);
  const erf = effectiveReceptiveField(subject.model, { layer, count: options.count ?? 8, seed: subject.seed });
  const files = [await writePng(options.out, 'erf.png', erfPicture(erf))];
  const { map: _map, ...numbers } = erf;
  return { arch: subject.arch, model: subject.folder, layer, files, data: numbers };
}

/** `inspect equivariance`: equivariance and invariance errors over depth for one shift. */
export async function inspectEquivariance(subject: Subject, options: InspectionOptions & { shift?: [number, number]; count?: number }) {
  const { images, source } = await subjectImages(subject, {
    files: options.images,
    count: options.count ?? 8,
    onWarning: options.onWarning,
  });
  const curve = translationEquivariance(subject.model, images, options.shift ?? [1, 1]);
  images.dispose();
  const spatial = curve.layers.filter((l) => l.equivarianceError !== undefined);
  const files = [
    await writeChart(options.out, 'equivariance.png', [
      {
        title: `Shift (${curve.shift.join(', ')}) through ${subject.arch}`,
        xLabel: 'layer (depth order)',
        yLabel: 'relative error',
        series: [
          { name: 'equivariance', color: '#1f77b4', points: spatial.map((l) => [l.depth, l.equivarianceError!]) },
          { name: 'invariance', color: '#d62728', points: curve.layers.map((l) => [l.depth, l.invarianceError]) },
        ],
      },
    ]),
  ];
  return { arch: subject.arch, model: subject.folder, files, data: { source, ...curve } };
}

/** `inspect gradcam`: Grad-CAM of an image (default the first test image) for a class (default the predicted one). */
export async function inspectGradCam(subject: Subject, options: InspectionOptions & { classIndex?: number }) {
  const { images, labels, source } = await subjectImages(subject, {
    files: options.images?.slice(0, 1),
    count: 1,
    onWarning: options.onWarning,
  });
  const cam = gradCam(subject.model, images, {
    ...(options.layer ? { layer: options.layer } : {}),
    ...(options.classIndex === undefined ? {} : { classIndex: options.classIndex }),
  });
  const files = [await writePng(options.out, 'gradcam.png', gradCamPicture(images, cam))];
  images.dispose();
  const { map: _map, layerMap, weights: _weights, ...numbers } = cam;
  return {
    arch: subject.arch,
    model: subject.folder,
    layer: cam.layer,
    files,
    data: {
      image: source,
      ...(labels[0]! >= 0 ? { label: subject.classNames[labels[0]!] } : {}),
      className: subject.classNames[cam.classIndex],
      predictedName: subject.classNames[cam.predicted],
      ...numbers,
      layerMap: Array.from(layerMap, (v) => Number(v.toFixed(4))),
    },
  };
}

/**
 * `inspect gradient-flow`: loss-gradient norms per layer for a batch, at initialisation (a fresh
 * build of the architecture) and, for a trained model, after training too.
 */
export async function inspectGradientFlow(subject: Subject, options: InspectionOptions & { count?: number }) {
  const { images, labels, source } = await subjectImages(subject, {
    files: options.images,
    count: options.count ?? 32,
    onWarning: options.onWarning,
  });
  if (labels.some((l) => l < 0))
    throw new ConvkitError('bad-option', 'gradient flow needs labelled images; leave out --image to use the dataset');
  const runs: { name: string; flow: ReturnType<typeof gradientFlow> }[] = [];
  if (subject.metadata) {
    const fresh = buildUntrained(
      subject.registry,
      subject.arch,
      { ...subject.metadata.archOptions, inputShape: subject.inputShape, numClasses: subject.classNames.length },
      subject.seed,
    );
    runs.push({ name: 'initialisation', flow: gradientFlow(fresh, images, labels) });
    fresh.dispose();
    runs.push({ name: 'trained', flow: gradientFlow(subject.model, images, labels) });
  } else {
    runs.push({ name: 'initialisation', flow: gradientFlow(subject.model, images, labels) });
  }
  images.dispose();
  const colours = ['#1f77b4', '#d62728'];
  const files = [
    await writeChart(options.out, 'gradient-flow.png', [
      {
        title: `Loss gradient per layer of ${subject.arch}`,
        xLabel: 'layer with weights (input to output)',
        yLabel: 'log10 ||dL/dW||',
        series: runs.map((r, i) => ({
          name: r.name,
          color: colours[i]!,
          points: r.flow.layers.map((l) => [l.depth, Math.log10(l.weightGradientNorm)]),
        })),
      },
    ]),
  ];
  return {
    arch: subject.arch,
    model: subject.folder,
    files,
    data: { source, runs: Object.fromEntries(runs.map((r) => [r.name, r.flow])) },
  };
}

/**
 * `inspect attention`: the attention of every SE, CBAM and non-local module (or of `layer`, a module
 * prefix) on one image: `channel-weights.png` (one strip per module), `spatial-maps.png` (CBAM's
 * gates over the image) and `non-local.png` (each block's weights for the query pixel, outlined).
 */
export async function inspectAttention(subject: Subject, options: InspectionOptions & { query?: [number, number] }) {
  const { images, source } = await subjectImages(subject, { files: options.images?.slice(0, 1), count: 1, onWarning: options.onWarning });
  try {
    const modules = attentionOnImage(subject.model, images, { module: options.layer, query: options.query });
    const of = <K extends ModuleAttention['kind']>(kind: K) =>
      modules.filter((m): m is Extract<ModuleAttention, { kind: K }> => m.kind === kind);
    const [channel, spatial, pairwise] = [of('channel'), of('spatial'), of('pairwise')];
    const files: string[] = [];
    if (channel.length > 0) files.push(await writePng(options.out, 'channel-weights.png', channelWeightsPicture(channel)));
    if (spatial.length > 0)
      files.push(await writePng(options.out, 'spatial-maps.png', mapsOverImagePicture(images, spatial.map(scaledToPeak))));
    if (pairwise.length > 0) {
      const marked = pairwise.map((m) => ({ ...scaledToPeak(m), mark: m.query.pixel }));
      files.push(await writePng(options.out, 'non-local.png', mapsOverImagePicture(images, marked)));
    }
    const data = modules.map((m) => {
      if (m.kind === 'channel') return m;
      const { imageMap: _drawn, ...numbers } = m;
      return numbers;
    });
    return { arch: subject.arch, model: subject.folder, layer: options.layer, files, data: { image: source, modules: data } };
  } finally {
    images.dispose();
  }
}

/** A map's image samples divided by its largest value, so a non-local block's small weights show. */
function scaledToPeak(m: { imageMap: Float32Array }): { imageMap: Float32Array } {
  const peak = m.imageMap.reduce((a, v) => Math.max(a, v), 0);
  return { imageMap: peak > 0 ? m.imageMap.map((v) => v / peak) : m.imageMap };
}
