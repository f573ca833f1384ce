import type { layers } from '@tensorflow/tfjs-layers';
import { ConvkitError } from '../../errors.js';
import { GRAPH_ACTIVATIONS, type GraphActivation, type GraphOps } from '../graph-ops.js';

/** What the lowering of one layer application sees. */
export interface LoweringContext {
  ops: GraphOps;
  layer: layers.Layer;
  config: Record<string, unknown>;
  /** The layer's inputs as graph tensors. */
  inputs: string[];
  /** Their tfjs (NHWC) shapes, batch `null`. */
  inputShapes: (number | null)[][];
  outputShape: (number | null)[];
  /** True in the training step (batch statistics, moving averages updated). */
  training: boolean;
  /** The graph tensor holding the current value of the layer's weight `name` (`kernel`, `gamma`, ...). */
  weight(name: string): string;
  /** Whether the layer has weight `name`. */
  hasWeight(name: string): boolean;
  /** Sets the layer's non-trainable weight `name` to `value` at the end of the training step. */
  assign(name: string, value: string): void;
  /** A fresh int32 seed pair for a stateless random op, drawn per step from the trainer's seeded generator. */
  randomSeed(): string;
  /**
   * A float32 scalar fed at every step from `read()` (a drop-path rate a schedule changes between
   * epochs), so the graph follows the layer without being compiled again; `key` names it in the step's inputs.
   */
  stepScalar(key: string, read: () => number): string;
}

/** Writes one layer application into the graph; returns its output tensor. */
export type LayerLowering = (context: LoweringContext) => string;

/** A config's `[h, w]` option given as one number or a pair. */
export function pairOf(value: unknown): [number, number] {
  return Array.isArray(value) ? [value[0] as number, (value[1] ?? value[0]) as number] : [value as number, value as number];
}

/** Spatial size `[H, W]` of the context's (NHWC) input. */
export function inputSize(context: LoweringContext): [number, number] {
  const shape = context.inputShapes[0] as number[];
  return [shape[1] as number, shape[2] as number];
}

/**
 * The graph activation a layer's `activation` config names (tfjs's `'relu'`, convkit's canonical
 * names); any other is a one-line refusal naming the layer.
 */
export function graphActivation(context: LoweringContext): GraphActivation {
  const raw = context.config.activation ?? 'linear';
  const name = String(raw).toLowerCase().replace(/[-_]/g, '');
  const canonical = name === 'identity' || name === 'none' ? 'linear' : name;
  const eluAlpha = canonical === 'elu' ? Number(context.config.alpha ?? 1) : 1;
  if ((GRAPH_ACTIVATIONS as readonly string[]).includes(canonical) && eluAlpha === 1) return canonical as GraphActivation;
  throw new ConvkitError(
    'graph-unsupported',
    `layer ${context.layer.name} uses activation ${JSON.stringify(raw)}, which the graph engine does not lower (it lowers ${GRAPH_ACTIVATIONS.join(', ')}); train it with --engine eager`,
  );
}
