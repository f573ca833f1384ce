import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable } from '@tensorflow/tfjs-layers';
import { activeBackend } from '../backend/init-backend.js';
import { importOptional } from '../backend/resolve-optional.js';
import { ConvkitError } from '../errors.js';
import { oneDnnGradientsRegistered } from './onednn-probe.js';
import { SERVE_TAG, writeSavedModel } from './saved-model.js';
import {
  adamStepScalars,
  compileTrainStep,
  type GraphVariable,
  SIGNATURES,
  type TrainGraph,
  type TrainGraphConfig,
} from './train-graph.js';

/** The part of tfjs-node's `TFSavedModel` the engine uses. */
interface SessionSignature {
  predict(inputs: tf.Tensor[] | Record<string, tf.Tensor>): tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;
  dispose(): void;
}
interface TfjsNode {
  node: { loadSavedModel(path: string, tags: string[], signature: string): Promise<SessionSignature> };
}

/** Loss and first-output hits of one graph step. */
export interface GraphStepResult {
  loss: number;
  correct: number;
}

/** Every variable's value, in {@link TrainGraph.variables} order. */
export type GraphState = Float32Array[];

/** tfjs-node (or tfjs-node-gpu), whose SavedModel sessions run graphs; refused in one line off the tensorflow backend. */
export async function tfjsNode(): Promise<TfjsNode> {
  const backend = activeBackend()?.backend;
  if (backend !== 'tensorflow' && backend !== 'tensorflow-gpu') {
    throw new ConvkitError(
      'graph-needs-tensorflow',
      `the graph engine runs on the tensorflow backend, but ${backend ?? 'no backend'} is active; use --backend tensorflow or --engine eager`,
    );
  }
  return importOptional<TfjsNode>(backend === 'tensorflow' ? '@tensorflow/tfjs-node' : '@tensorflow/tfjs-node-gpu');
}

/**
 * The graph engine: one training step of a model compiled into one TensorFlow graph
 * ({@link compileTrainStep}) and run as one session call per step by tfjs-node's SavedModel binding,
 * the weights and momentum slots held as variables of that session between steps. The model's own
 * weights are not touched until {@link GraphEngine.writeBack}.
 */
export class GraphEngine {
  private disposed = false;
  /**
   * Optimizer steps taken so far, which Adam's bias corrections count from: a session restored from
   * a checkpoint ({@link GraphEngine.writeState}) is given the checkpoint's count.
   */
  optimizerSteps = 0;

  private constructor(
    readonly model: LayersModel,
    readonly compiled: TrainGraph,
    private readonly dir: string,
    private readonly train: SessionSignature,
    private readonly getWeights: SessionSignature,
    private readonly setWeights: SessionSignature,
    private readonly config: TrainGraphConfig,
  ) {}

  /**
   * Compiles `model`'s training step and opens its session, the variables starting from the model's
   * current weights and zero momentum (or from `state`, as {@link GraphEngine.readState} returned it).
   */
  static async create(model: LayersModel, config: TrainGraphConfig, state?: GraphState): Promise<GraphEngine> {
    const node = await tfjsNode();
    // Only on the CPU backend: on tfjs-node-gpu the oneDNN kernel would pull the step's ReLUs off the GPU.
    const oneDnnGradients =
      config.oneDnnGradients ?? (activeBackend()?.backend === 'tensorflow' && (await oneDnnGradientsRegistered(node)));
    const weights = (model.weights as LayerVariable[]).map((w) => w.read().dataSync() as Float32Array);
    const compiled = compileTrainStep(
      model,
      { ...config, oneDnnGradients },
      (variables) =>
        state ??
        variables.map((v) =>
          v.kind === 'weight' ? (weights[v.weight] as Float32Array) : new Float32Array(v.shape.reduce((a, b) => a * b, 1)),
        ),
    );
    const dir = mkdtempSync(join(tmpdir(), 'convkit-graph-'));
    try {
      writeSavedModel(dir, compiled.savedModel);
      // tfjs-node opens one session per SavedModel path and tags; the three signatures share it.
      const train = await node.node.loadSavedModel(dir, [SERVE_TAG], SIGNATURES.train);
      const getWeights = await node.node.loadSavedModel(dir, [SERVE_TAG], SIGNATURES.getWeights);
      const setWeights = await node.node.loadSavedModel(dir, [SERVE_TAG], SIGNATURES.setWeights);
      return new GraphEngine(model, compiled, dir, train, getWeights, setWeights, config);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The variables of the session, in state order. */
  get variables(): readonly GraphVariable[] {
    return this.compiled.variables;
  }

  /**
   * One training step on `count` images (NHWC float32) with (soft) labels at `learningRate`; a step
   * that draws random numbers ({@link TrainGraph.random}) takes them from the int32 pair `seed`.
   */
  async step(
    images: Float32Array,
    labels: Float32Array,
    count: number,
    learningRate: number,
    seed: [number, number] = [0, 0],
  ): Promise<GraphStepResult> {
    const shape = (this.model.inputs[0]?.shape ?? []).slice(1) as number[];
    const classes = labels.length / count;
    const adam = this.compiled.adam ? adamStepScalars(this.config.optimizer, this.optimizerSteps + 1, learningRate) : {};
    const inputs = {
      images: tf.tensor4d(images, [count, ...shape] as [number, number, number, number]),
      labels: tf.tensor2d(labels, [count, classes]),
      learning_rate: tf.scalar(learningRate),
      ...(this.compiled.random ? { seed: tf.tensor1d(seed, 'int32') } : {}),
      ...Object.fromEntries(Object.entries(adam).map(([key, value]) => [key, tf.scalar(value)])),
      ...Object.fromEntries(this.compiled.stepScalars.map(({ key, read }) => [key, tf.scalar(read())])),
    };
    try {
      const out = this.train.predict(inputs) as Record<string, tf.Tensor>;
      const [loss, correct] = await Promise.all([(out.loss as tf.Tensor).data(), (out.correct as tf.Tensor).data()]);
      tf.dispose(Object.values(out));
      this.optimizerSteps += 1;
      return { loss: loss[0] as number, correct: correct[0] as number };
    } finally {
      tf.dispose(Object.values(inputs));
    }
  }

  /** Every variable's current value (weights and optimizer slots), read from the session. */
  async readState(): Promise<GraphState> {
    const out = this.getWeights.predict([]) as tf.Tensor[] | tf.Tensor;
    const tensors = Array.isArray(out) ? out : [out];
    const values = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose(tensors);
    return values;
  }

  /** Sets every variable (as {@link GraphEngine.readState} returns them). */
  writeState(state: GraphState): void {
    const inputs = this.compiled.variables.map((v, i) => tf.tensor(state[i] as Float32Array, v.shape, 'float32'));
    try {
      tf.dispose(this.setWeights.predict(inputs) as tf.Tensor);
    } finally {
      tf.dispose(inputs);
    }
  }

  /** Copies the session's weights into the model's variables (for evaluation, saving, checkpoints). */
  async writeBack(): Promise<void> {
    const state = await this.readState();
    const weights = this.model.weights as LayerVariable[];
    this.compiled.variables.forEach((v, i) => {
      if (v.kind !== 'weight') return;
      const value = tf.tensor(state[i] as Float32Array, v.shape, 'float32');
      (weights[v.weight] as LayerVariable).write(value);
      value.dispose();
    });
  }

  /** Closes the session and removes the SavedModel folder. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.train.dispose();
    this.getWeights.dispose();
    this.setWeights.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
