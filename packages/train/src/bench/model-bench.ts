import { type ComputeDType, ConvkitError, type InputShape, type Registry, SeededRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { crossEntropyObjective } from '../objectives/cross-entropy-objective.js';
import { defaultLossWeights } from '../train/loss.js';
import { Optimizer, type OptimizerName } from '../train/optimizer.js';
import { trainStep } from '../train/train-step.js';
import { type KernelShare, kernelShares } from './kernel-profile.js';
import { type Timing, type TimingOptions, timeStep } from './timing.js';

/** What `benchModel` measures: a forward pass in inference mode, or one training step. */
export type ModelBenchMode = 'inference' | 'train-step';

/** A model to measure: a registered architecture at a batch size and input. */
export interface ModelBenchOptions extends TimingOptions {
  registry: Registry;
  arch: string;
  archOptions?: Record<string, unknown>;
  /** Default the architecture's default input. */
  inputShape?: InputShape;
  numClasses?: number;
  batchSize?: number;
  mode?: ModelBenchMode;
  /** The train step's optimizer; default `sgd`. */
  optimizer?: OptimizerName;
  /**
   * The engine of the train step: `eager` (default, op by op on the active backend) or `graph` (the
   * whole step as one TensorFlow graph, core's `GraphEngine`; the tensorflow backend in Node only).
   */
  engine?: 'eager' | 'graph';
  /** What the graph engine computes in; default float32. */
  compute?: ComputeDType;
}

/** One model's measurement. */
export interface ModelTiming extends Timing {
  arch: string;
  mode: ModelBenchMode;
  batchSize: number;
  inputShape: InputShape;
  backend: string;
  imagesPerSecond: number;
  /** Kernel calls of one step, as `tf.profile` counts them (the engine's Identity copies of saved tensors included). */
  kernelCalls: number;
  /** The profiled step's kernels grouped by name, slowest total first. */
  kernels: KernelShare[];
  /** Most tensor memory held at once during one step, model weights and optimizer state included, in bytes. */
  peakBytes: number;
}

/** A training step on the graph engine, and what frees it. */
export interface GraphBenchStep {
  step(): Promise<unknown>;
  dispose(): void;
}

/**
 * Opens the graph engine's step for `model` on a fixed batch (`labels` one-hot). Node's entry passes
 * one to {@link benchModelWith}; a page has no graph engine, so the browser entry's `benchModel` has none.
 */
export type GraphBenchOpener = (
  model: LayersModel,
  optimizer: Optimizer,
  compute: ComputeDType,
  batch: { images: Float32Array; labels: Float32Array; count: number },
) => Promise<GraphBenchStep>;

/**
 * Latency and throughput of a registered architecture on the active backend: `inference` times
 * `model.predict` on a random batch (read back), `train-step` times convkit's own training step
 * (forward in training mode, the loss its declared outputs need, gradients, optimizer update), the
 * step `train()` runs — it measures the product, not a copy. Also counts one step's kernel calls and
 * its peak tensor memory.
 */
export function benchModel(options: ModelBenchOptions): Promise<ModelTiming> {
  return benchModelWith(options, undefined);
}

/** {@link benchModel}, with the graph engine's step opened by `openGraph` when `engine` is `graph`. */
export async function benchModelWith(options: ModelBenchOptions, openGraph: GraphBenchOpener | undefined): Promise<ModelTiming> {
  const { registry, arch } = options;
  if (options.engine === 'graph' && !openGraph) {
    throw new ConvkitError(
      'bad-option',
      "benchModel's graph engine runs on the tensorflow backend in Node only; leave engine out (eager) in a page",
    );
  }
  const spec = registry.get(arch).value;
  const inputShape = options.inputShape ?? spec.defaultInput;
  const batchSize = options.batchSize ?? 32;
  const mode = options.mode ?? 'inference';
  const model = registry.create(arch, {
    ...options.archOptions,
    inputShape,
    ...(options.numClasses === undefined ? {} : { numClasses: options.numClasses }),
  });
  const classes = model.outputs[0]?.shape.at(-1) as number;
  const images = tf.randomNormal([batchSize, ...inputShape]);
  const optimizer = new Optimizer({ name: options.optimizer ?? 'sgd' });
  let graph: GraphBenchStep | undefined;
  try {
    let step: () => Promise<unknown>;
    if (mode === 'inference') {
      step = async () => {
        const output = model.predict(images);
        const outputs = Array.isArray(output) ? output : [output];
        await Promise.all(outputs.map((t) => t.data()));
        tf.dispose(outputs);
      };
    } else {
      const kinds = registry.outputKinds(arch, model);
      const labels = new Float32Array(batchSize * classes);
      for (let i = 0; i < batchSize; i++) labels[i * classes + (i % classes)] = 1;
      const batch = { images: (await images.data()) as Float32Array, labels, count: batchSize, shape: inputShape, numClasses: classes };
      if (options.engine === 'graph' && openGraph) {
        const opened = await openGraph(model, optimizer, options.compute ?? 'float32', batch);
        graph = opened;
        step = () => opened.step();
      } else {
        const objective = crossEntropyObjective({ kinds, lossWeights: defaultLossWeights(kinds.length), labelSmoothing: 0 });
        const context = { model, optimizer, objective, clipNorm: undefined };
        const rng = new SeededRng(0);
        step = () => trainStep(context, batch, 0.01, rng);
      }
    }
    const timing = await timeStep(step, options);
    // One more step under the profiler, after the timed ones so its bookkeeping never slows them.
    const profile = await tf.profile(async () => {
      await step();
    });
    return {
      arch,
      mode,
      batchSize,
      inputShape,
      backend: tf.getBackend(),
      ...timing,
      imagesPerSecond: (1000 * batchSize) / timing.ms,
      kernelCalls: profile.kernels.length,
      kernels: kernelShares(profile.kernels),
      peakBytes: profile.peakBytes,
    };
  } finally {
    graph?.dispose();
    optimizer.dispose();
    images.dispose();
    model.dispose();
  }
}
