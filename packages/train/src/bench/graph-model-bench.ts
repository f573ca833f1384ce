import { GraphEngine } from '@convkit/core';
import { benchModelWith, type GraphBenchOpener, type ModelBenchOptions, type ModelTiming } from './model-bench.js';

const openGraphStep: GraphBenchOpener = async (model, optimizer, compute, batch) => {
  const { name, momentum } = optimizer.config;
  const engine = await GraphEngine.create(model, { optimizer: { name, momentum }, compute });
  // The session's first run optimizes the graph (grappler's rewrites, oneDNN's primitives): a one-time
  // compile, as tracing is for Keras's tf.function, run before the timing rule's own warm-up.
  const step = () => engine.step(batch.images, batch.labels, batch.count, 0.01);
  await step();
  return { step, dispose: () => engine.dispose() };
};

/**
 * Latency and throughput of a registered architecture on the active backend, as the browser entry's
 * `benchModel` measures them, and with `engine: 'graph'` of the step on core's graph engine (the
 * tensorflow backend), which only Node has.
 */
export function benchModel(options: ModelBenchOptions): Promise<ModelTiming> {
  return benchModelWith(options, openGraphStep);
}
