import { type BackendReport, graphRefusal, isConvkitError, type OutputKind } from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CROSS_ENTROPY } from '../objectives/cross-entropy-objective.js';
import { badOption } from '../options/training-options.js';
import type { ProgressiveResize } from '../techniques/progressive-resize.js';
import { graphStepEngine } from './graph-step-engine.js';
import type { OptimizerState } from './optimizer.js';
import { resizingGraphEngine } from './resizing-step-engine.js';
import type { StepEngine } from './step-engine.js';
import type { TrainConfig } from './train-config.js';

/** What decides a run's engine. */
export interface EngineRequest {
  config: TrainConfig;
  backend: BackendReport;
  model: LayersModel;
  kinds: OutputKind[];
  /** The name of the run's objective. */
  objective: string;
  /** Progressive resizing, with the size of the first epoch this run trains: a graph per size. */
  resize?: { schedule: ProgressiveResize; firstSize: number } | undefined;
}

const isTensorflow = (backend: BackendReport) => backend.backend === 'tensorflow' || backend.backend === 'tensorflow-gpu';

/**
 * Why this run's training step cannot be one graph, in one line (`layer x is a convkit.SqueezeExcite`),
 * or undefined when it can: the model's own refusal ({@link graphRefusal}) or a training technique
 * the graph step does not contain.
 */
export function runGraphRefusal(request: Omit<EngineRequest, 'backend'>): string | undefined {
  const { config, kinds, model } = request;
  if (request.objective !== CROSS_ENTROPY) return `objective ${request.objective} is not lowered (the graph engine lowers cross-entropy)`;
  if (kinds[0] !== 'logits') return `${model.name} outputs ${kinds[0]} (the graph engine trains on logits)`;
  if (config.lossWeights.length > 0 && config.lossWeights[0] !== 1) return `--loss-weights ${config.lossWeights.join(',')} are not lowered`;
  if (config.precision === 'fp16') return '--precision fp16 is not lowered (the graph engine computes in float32 or bfloat16)';
  if (config.lossScale === 'dynamic') return '--loss-scale dynamic is not lowered';
  if (config.ema !== null) return '--ema averages the weights after every step, which the graph engine does not lower';
  return graphRefusal(model, { optimizer: config.optimizer });
}

/** The engine a run trains on, and, when it falls back to eager, the one line saying why. */
export interface EngineChoice {
  engine: StepEngine | undefined;
  /** Why the graph engine was not used although it would have been the default or was asked for. */
  fallback?: string;
}

/**
 * Opens the run's graph engine when it should run: asked for (`engine: 'graph'`) or by default on
 * the tensorflow backend. Returns no engine for the eager one. Asking for the graph engine on another
 * backend is an error; a run the graph engine refuses (a layer without a lowering, an optimizer or
 * technique it does not contain) falls back to the eager engine with the refusal as `fallback`.
 * A checkpoint's `optimizer` slots start the session where the run stopped. Under progressive
 * resizing each input size gets its own graph ({@link resizingGraphEngine}).
 */
export async function openGraphEngine(request: EngineRequest, optimizer?: OptimizerState): Promise<EngineChoice> {
  const { config, backend, model } = request;
  const bfloat16 = config.precision === 'bf16';
  // bfloat16 compute exists only in libtensorflow's graph: a run that cannot have it stops instead of falling back.
  const needsGraph = (why: string) =>
    badOption('precision', 'bf16', `fp32 or fp16 when ${why} (tfjs has no bfloat16; bf16 computes on the graph engine)`);
  if (config.engine === 'eager') {
    if (bfloat16) throw needsGraph('training with --engine eager');
    return { engine: undefined };
  }
  if (!isTensorflow(backend)) {
    if (config.engine === 'graph')
      throw badOption('engine', 'graph', `eager on the ${backend.backend} backend (the graph engine needs --backend tensorflow)`);
    if (bfloat16) throw needsGraph(`training on the ${backend.backend} backend, not tensorflow`);
    return { engine: undefined };
  }
  const refusal = runGraphRefusal(request);
  const fallback = (why: string) => {
    if (bfloat16) throw needsGraph(`the graph engine refuses the run (${why})`);
    return { engine: undefined, fallback: `graph engine refused: ${why}; training on the eager engine` };
  };
  if (refusal) return fallback(refusal);
  const graphConfig = {
    optimizer: { name: config.optimizer, momentum: config.momentum, weightDecay: config.weightDecay },
    labelSmoothing: config.labelSmoothing,
    ...(config.clipNorm === null ? {} : { clipNorm: config.clipNorm }),
    ...(bfloat16 ? { compute: 'bfloat16' as const } : {}),
  };
  const open = (sized: LayersModel, state: OptimizerState | undefined) => graphStepEngine(sized, graphConfig, state);
  const { resize } = request;
  try {
    return {
      engine: resize ? await resizingGraphEngine(resize.schedule, resize.firstSize, open, optimizer) : await open(model, optimizer),
    };
  } catch (error) {
    // A lowering that refuses a layer's configuration (a grouped convolution) says so while compiling.
    // Its advice to pass --engine eager is what the fallback does, so it is cut.
    if (isConvkitError(error) && error.code === 'graph-unsupported') return fallback(error.message.replace(/; train it .*$/, ''));
    throw error;
  }
}
