import { ConvkitError, registry as defaultRegistry, type Registry, SeededRng } from '@convkit/core';
import {
  type ChannelStatistics,
  generateShapes,
  type ImageShape,
  type ModelMetadata,
  openDataset,
  openTrainedModel,
  readModelImages,
  withSeededMathRandom,
} from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Which model to inspect: a trained one (`model`) or an untrained registered architecture (`arch`). */
export interface SubjectOptions {
  /** A `convkit train` output folder (or its `model/` subfolder). */
  model?: string;
  /** A registered architecture, built untrained with seeded initialization, for teaching. */
  arch?: string;
  /** Builder options of `arch` (JSON from `--arch-options`). */
  archOptions?: Record<string, unknown>;
  /** Seed of `arch`'s weight initialization and of random inputs. Default 0. */
  seed?: number;
  registry?: Registry;
}

/** The model under inspection, with what is known about its inputs. */
export interface Subject {
  model: LayersModel;
  arch: string;
  /** The trained model's folder, when there is one. */
  folder?: string;
  inputShape: ImageShape;
  classNames: string[];
  /** Training statistics of a trained model; an untrained one takes pixels scaled to [0, 1]. */
  normalization?: ChannelStatistics;
  metadata?: ModelMetadata;
  seed: number;
  registry: Registry;
}

/** Builds an untrained registered architecture, its initialization drawn from `seed`. */
export function buildUntrained(registry: Registry, arch: string, archOptions: Record<string, unknown>, seed: number): LayersModel {
  return withSeededMathRandom(new SeededRng(seed), () => registry.create(arch, archOptions));
}

/** Opens the trained model of `model`, or builds `arch` untrained; exactly one of them must be given. */
export async function openSubject(options: SubjectOptions): Promise<Subject> {
  const registry = options.registry ?? defaultRegistry;
  const seed = options.seed ?? 0;
  if ((options.model === undefined) === (options.arch === undefined)) {
    throw new ConvkitError(
      'bad-option',
      'pass either --model DIR (a trained model) or --arch NAME (an untrained architecture), not both or neither',
    );
  }
  if (options.model !== undefined) {
    if (options.archOptions && Object.keys(options.archOptions).length > 0) {
      throw new ConvkitError('bad-option', '--arch-options applies to --arch; a trained model keeps the options it was trained with');
    }
    const trained = await openTrainedModel(options.model, registry);
    const { metadata } = trained;
    return {
      model: trained.model,
      arch: metadata.arch,
      folder: trained.folder,
      inputShape: metadata.inputShape,
      classNames: metadata.classNames,
      normalization: metadata.normalization,
      metadata,
      seed,
      registry,
    };
  }
  const arch = options.arch as string;
  const model = buildUntrained(registry, arch, options.archOptions ?? {}, seed);
  const inputShape = (model.inputs[0]!.shape as number[]).slice(1) as ImageShape;
  const classes = (model.outputs[0]!.shape as number[]).at(-1) ?? 1;
  return { model, arch, inputShape, classNames: Array.from({ length: classes }, (_, i) => String(i)), seed, registry };
}

/** Images with labels, as the model takes them (NHWC, normalized). */
export interface SubjectImages {
  images: tf.Tensor4D;
  labels: number[];
  /** Where they came from, for the report. */
  source: string;
}

function statistics(subject: Subject): ChannelStatistics {
  const c = subject.inputShape[2];
  return subject.normalization ?? { mean: Array(c).fill(0), std: Array(c).fill(1) };
}

/**
 * Images to inspect with: the given files (decoded and normalized as training fed them), else the
 * first `count` test images of a trained model's dataset, else `count` images of the `shapes`
 * generator drawn at the architecture's input size (pixels in [0, 1]).
 */
export async function subjectImages(
  subject: Subject,
  options: { files?: string[]; count: number; onWarning?: (m: string) => void },
): Promise<SubjectImages> {
  const shape = subject.inputShape;
  const stats = statistics(subject);
  if (options.files && options.files.length > 0) {
    const read = await readModelImages(options.files, { inputShape: shape, classNames: subject.classNames, normalization: stats });
    const said = read.conversions.describe(options.files.join(', '));
    if (said) options.onWarning?.(said);
    return {
      images: tf.tensor4d(read.images, [read.count, ...shape]),
      labels: Array(read.count).fill(-1),
      source: options.files.join(', '),
    };
  }
  const metadata = subject.metadata;
  const splits = metadata
    ? await openDataset(metadata.data, subject.registry, { seed: metadata.seed, imageShape: shape })
    : generateShapes({ seed: subject.seed, shape, trainSize: 0, testSize: options.count });
  const test = splits.test;
  const count = Math.min(options.count, test.size);
  const size = shape[0] * shape[1] * shape[2];
  const floats = new Float32Array(count * size);
  const labels: number[] = [];
  for (let n = 0; n < count; n++) {
    const pixels = test.pixels(n);
    for (let p = 0; p < size; p++) floats[n * size + p] = (pixels[p]! / 255 - stats.mean[p % shape[2]]!) / stats.std[p % shape[2]]!;
    labels.push(test.labels[n]! % subject.classNames.length);
  }
  return { images: tf.tensor4d(floats, [count, ...shape]), labels, source: `${splits.name} test images 0-${count - 1}` };
}
