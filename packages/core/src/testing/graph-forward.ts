import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable } from '@tensorflow/tfjs-layers';
import { tfjsNode } from '../graph/graph-engine.js';
import { type ComputeDType, GraphOps } from '../graph/graph-ops.js';
import { lowerModel } from '../graph/lower-model.js';
import { encodeSavedModel, SERVE_TAG, writeSavedModel } from '../graph/saved-model.js';
import { stepInputs } from '../graph/step-inputs.js';
import { Tape } from '../graph/tape.js';
import { attr, TfGraph } from '../graph/tf-graph.js';
import type { GradientBatch } from './graph-gradients.js';

/** Options of {@link graphForward}. */
export interface GraphForwardOptions {
  /** Lower the layers in training mode (dropout and drop-path draw masks); default false. */
  training?: boolean;
  /** The int32 pair the random ops' seeds derive from, as a training step's; default [0, 0]. */
  seed?: [number, number];
  /** The compute dtype; default float32. */
  compute?: ComputeDType;
}

/**
 * The output of `model`'s forward pass on `count` NHWC images as the graph engine lowers it (the
 * weights as constants, the layers through the same lowerings as a training step, random ops seeded
 * from `seed` plus their index as in the step), run in one libtensorflow session: what a lowering's
 * forward test compares with tfjs. Needs the tensorflow backend active.
 */
export async function graphForward(
  model: LayersModel,
  images: Float32Array,
  count: number,
  options: GraphForwardOptions = {},
): Promise<Float32Array> {
  const graph = new TfGraph();
  const ops = new GraphOps(graph, new Tape(graph), options.compute);
  const shape = (model.inputs[0]?.shape ?? []).slice(1) as number[];
  const input = graph.op('Placeholder', [], { dtype: attr.type('float32'), shape: attr.shape([null, ...shape]) }, { name: 'images' });
  const perStep = stepInputs(graph);
  const [output] = lowerModel(model, {
    ops,
    input: ops.toCompute(input, 'images/compute'),
    training: options.training ?? false,
    read: (v: LayerVariable) => graph.floats(v.read().dataSync(), v.shape as number[], `weight/${v.name}`),
    assign: () => undefined,
    randomSeed: perStep.randomSeed,
    stepScalar: perStep.stepScalar,
  }) as [string];
  const result = graph.op('Identity', [ops.toFloat32(output, 'output/float32')], { T: attr.type('float32') }, { name: 'output' });
  const init = graph.op('NoOp', [], {}, { name: 'init' });
  const scalar = (tensor: string) => ({ tensor, dtype: 'float32' as const, shape: [] });
  const signature = {
    inputs: {
      images: { tensor: input, dtype: 'float32' as const, shape: [null, ...shape] },
      ...(perStep.randomOps > 0 ? { seed: { tensor: perStep.seed, dtype: 'int32' as const, shape: [2] } } : {}),
      ...Object.fromEntries(perStep.scalars.map(({ key, tensor }) => [key, scalar(tensor)])),
    },
    outputs: { output: { tensor: result, dtype: 'float32' as const, shape: [null] } },
  };
  const node = await tfjsNode();
  const dir = mkdtempSync(join(tmpdir(), 'convkit-forward-'));
  const feeds: Record<string, tf.Tensor> = {
    images: tf.tensor(images, [count, ...shape]),
    ...(perStep.randomOps > 0 ? { seed: tf.tensor1d(options.seed ?? [0, 0], 'int32') } : {}),
    ...Object.fromEntries(perStep.scalars.map(({ key, read }) => [key, tf.scalar(read())])),
  };
  try {
    writeSavedModel(dir, encodeSavedModel(graph.nodes, { forward: signature }, init));
    const session = await node.node.loadSavedModel(dir, [SERVE_TAG], 'forward');
    try {
      const out = session.predict(feeds);
      const tensor = out instanceof tf.Tensor ? out : ((out as Record<string, tf.Tensor>).output as tf.Tensor);
      const values = (await tensor.data()) as Float32Array;
      tensor.dispose();
      return values;
    } finally {
      session.dispose();
    }
  } finally {
    tf.dispose(Object.values(feeds));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A model's inference outputs on both engines and their largest difference relative to the eager one's largest entry. */
export interface EngineOutputs {
  eager: Float32Array;
  graph: Float32Array;
  /** `max |graph - eager| / max |eager|`. */
  error: number;
}

/**
 * `model`'s inference outputs on `batch`'s images from tfjs (`model.predict`) and from the graph
 * engine's lowering ({@link graphForward}), side by side: what a lowering's forward test checks.
 */
export async function graphAndEagerOutputs(model: LayersModel, batch: GradientBatch): Promise<EngineOutputs> {
  const shape = (model.inputs[0]?.shape ?? []).slice(1) as number[];
  const graph = await graphForward(model, batch.images, batch.count);
  const eager = tf.tidy(() => (model.predict(tf.tensor(batch.images, [batch.count, ...shape])) as tf.Tensor).dataSync() as Float32Array);
  const scale = eager.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const largest = graph.reduce((m, v, i) => Math.max(m, Math.abs(v - (eager[i] as number))), 0);
  return { eager, graph, error: graph.length === eager.length ? largest / scale : Number.POSITIVE_INFINITY };
}
