import { copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConvkitError, folderIO, loadModel, MODEL_JSON, writeFileAtomic } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { type ExportOnnxOptions, exportOnnx } from '../onnx/export-onnx.js';
import { quantizeWeights, type WeightStorage } from '../tfjs/quantize-weights.js';
import { IMPORT_METADATA } from '../torch/import-model.js';

/** Formats `convkit export` writes. */
export const EXPORT_FORMATS = ['onnx', 'tfjs-float16', 'tfjs-uint8'] as const;

/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Options of {@link exportModel}. */
export interface ExportModelOptions {
  /** A saved model folder (`convkit train --out`'s, its `model/`, or `convkit import --out`'s). */
  model: string;
  format: ExportFormat;
  /** Output: a `.onnx` file for ONNX, a folder for the tfjs formats. */
  out: string;
  /** ONNX only: image layout at the boundary (default `'nchw'`). */
  layout?: 'nchw' | 'nhwc';
  /** ONNX only: fold batch norms into the convolutions before them (see {@link ExportOnnxOptions.foldBatchNorm}). */
  foldBatchNorm?: boolean;
}

/** What {@link exportModel} wrote. */
export interface ExportModelResult {
  format: ExportFormat;
  out: string;
  /** Bytes of the source model's weights and of the exported weights (the whole `.onnx` file for ONNX). */
  sourceBytes: number;
  exportedBytes: number;
  /**
   * tfjs formats: the largest difference between the compact model's outputs and the source's on a
   * seeded batch of random inputs, relative to the largest source output (the cost of the storage).
   */
  outputDifference?: number;
  /** ONNX only: operator types used. */
  opTypes?: string[];
}

/** Files beside `model.json` that say how a model was made, copied so eval and predict work on the export. */
const METADATA_FILES = ['convkit-train.json', IMPORT_METADATA];

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The model folder of `path`: a training run's `model/` or `path` itself. */
async function modelFolder(path: string): Promise<string> {
  return (await exists(join(path, 'model', MODEL_JSON))) ? join(path, 'model') : path;
}

/** Outputs of `model` on a seeded random batch of its input size. */
function probe(model: LayersModel): tf.Tensor[] {
  const [, ...shape] = model.inputs[0]!.shape as number[];
  return tf.tidy(() => {
    const outputs = model.predict(tf.randomNormal([4, ...shape], 0, 1, 'float32', 20260)) as tf.Tensor | tf.Tensor[];
    return Array.isArray(outputs) ? outputs : [outputs];
  });
}

function relativeDifference(a: tf.Tensor[], b: tf.Tensor[]): number {
  return tf.tidy(() =>
    Math.max(...a.map((x, i) => tf.max(tf.abs(tf.sub(x, b[i]!))).dataSync()[0]! / Math.max(tf.max(tf.abs(b[i]!)).dataSync()[0]!, 1e-30))),
  );
}

/** Writes the model's weights as float16 or uint8 into a new tfjs model folder that plain tfjs loads. */
async function exportCompact(folder: string, out: string, storage: WeightStorage): Promise<ExportModelResult> {
  // folderIO implements both methods of the IOHandler it returns.
  const artifacts = await folderIO(folder).load!();
  const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
  const quantized = quantizeWeights(artifacts.weightSpecs ?? [], data, storage);
  await folderIO(out).save!({ ...artifacts, weightSpecs: quantized.specs, weightData: quantized.data });
  for (const file of METADATA_FILES) if (await exists(join(folder, file))) await copyFile(join(folder, file), join(out, file));
  const [source, compact] = [await loadModel(folder), await loadModel(out)];
  const [expected, actual] = [probe(source), probe(compact)];
  const outputDifference = relativeDifference(actual, expected);
  tf.dispose([...expected, ...actual]);
  source.dispose();
  compact.dispose();
  return {
    format: `tfjs-${storage}`,
    out,
    sourceBytes: data.byteLength,
    exportedBytes: quantized.data.byteLength,
    outputDifference,
  };
}

/**
 * Exports a saved convkit model: to ONNX ({@link exportOnnx}) or to a tfjs model folder whose weights
 * are stored as float16 or uint8 (half and a quarter of the size; plain tfjs decodes them to float32
 * on load), what `convkit export` does. The model's layer classes must be registered (`registry.use`).
 */
export async function exportModel(options: ExportModelOptions): Promise<ExportModelResult> {
  const folder = await modelFolder(options.model);
  if (options.format === 'tfjs-float16') return exportCompact(folder, options.out, 'float16');
  if (options.format === 'tfjs-uint8') return exportCompact(folder, options.out, 'uint8');
  if (options.format !== 'onnx') {
    throw new ConvkitError('bad-option', `unknown export format "${options.format}"; use one of ${EXPORT_FORMATS.join(', ')}`);
  }
  const model = await loadModel(folder);
  try {
    const exported = exportOnnx(model, {
      ...(options.layout ? { layout: options.layout } : {}),
      ...(options.foldBatchNorm ? { foldBatchNorm: true } : {}),
    });
    await writeFileAtomic(options.out, exported.bytes);
    const sourceBytes = 4 * model.countParams();
    return { format: 'onnx', out: options.out, sourceBytes, exportedBytes: exported.bytes.byteLength, opTypes: exported.opTypes };
  } finally {
    model.dispose();
  }
}
