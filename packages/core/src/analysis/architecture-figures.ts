import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { InputShape } from '../registry/architecture.js';
import type { Registry } from '../registry/registry.js';
import { buildWithZeroWeights } from './cheap-build.js';
import { type ModelSummary, summarizeModel } from './model-summary.js';

/** Headline figures of one registered architecture, as `convkit models list` shows them. */
export interface ArchitectureFigures {
  name: string;
  family: string;
  /** The spec's tags (`ArchitectureSpec.tags`), empty when it declares none. */
  tags: string[];
  /** The plugin (package) that registered it. */
  plugin: string;
  params: number;
  trainableParams: number;
  macs: number;
  /** `2 * macs`. */
  flops: number;
  /** Input the figures were computed at (height, width, channels). */
  input: InputShape;
}

function analyse<T>(registry: Registry, name: string, options: unknown, read: (model: LayersModel) => T): T {
  const model = buildWithZeroWeights(() => registry.create(name, options));
  try {
    return read(model);
  } finally {
    model.dispose();
  }
}

/** Per-layer summary of architecture `name` built with `options`, without drawing random weights. */
export function summarizeArchitecture(registry: Registry, name: string, options: unknown = {}): ModelSummary {
  return analyse(registry, name, options, summarizeModel);
}

/** Parameter and MAC totals of architecture `name` at its default input (or `options.inputShape`). */
export function architectureFigures(registry: Registry, name: string, options: unknown = {}): ArchitectureFigures {
  const { value: spec, plugin } = registry.get(name);
  const { totals, input } = summarizeArchitecture(registry, name, options);
  return {
    name,
    family: spec.family,
    tags: spec.tags ?? [],
    plugin,
    params: totals.params,
    trainableParams: totals.trainableParams,
    macs: totals.macs,
    flops: totals.flops,
    input: input as InputShape,
  };
}
