import { ConvkitError } from '@convkit/core';
import type { OnnxGraph } from './onnx-graph.js';

/** An activation as convkit's and tfjs's layer configs name it, with its options. */
export interface ActivationConfig {
  name: string;
  alpha?: number;
  approximate?: string;
}

/** Canonical names of the aliases convkit accepts (`swish` is SiLU, ...). */
const ALIASES: Record<string, string> = { swish: 'silu', hswish: 'hardswish', hsigmoid: 'hardsigmoid', identity: 'linear', none: 'linear' };

type Emit = (graph: OnnxGraph, x: string, out: string, config: ActivationConfig) => string;

const unary =
  (op: string): Emit =>
  (graph, x, out) =>
    graph.node(op, [x], out);

/** x * f(x) for a gate f computed by `gate`. */
const gated =
  (gate: Emit): Emit =>
  (graph, x, out, config) =>
    graph.node('Mul', [x, gate(graph, x, `${out}/gate`, config)], out);

const hardSigmoid: Emit = (graph, x, out) => graph.node('HardSigmoid', [x], out, { alpha: { float: 1 / 6 }, beta: { float: 0.5 } });

/** ONNX for each activation convkit has (opset 17: no Gelu op yet, so GELU is written out). */
const ACTIVATIONS: Record<string, Emit> = {
  linear: (_graph, x) => x,
  relu: unary('Relu'),
  relu6: (graph, x, out) =>
    graph.node(
      'Clip',
      [x, graph.floats(`${out}/min`, [], new Float32Array([0])), graph.floats(`${out}/max`, [], new Float32Array([6]))],
      out,
    ),
  leakyrelu: (graph, x, out, c) => graph.node('LeakyRelu', [x], out, { alpha: { float: c.alpha ?? 0.01 } }),
  elu: (graph, x, out, c) => graph.node('Elu', [x], out, { alpha: { float: c.alpha ?? 1 } }),
  selu: unary('Selu'),
  silu: gated(unary('Sigmoid')),
  hardswish: gated(hardSigmoid),
  hardsigmoid: hardSigmoid,
  sigmoid: unary('Sigmoid'),
  tanh: unary('Tanh'),
  softmax: (graph, x, out) => graph.node('Softmax', [x], out, { axis: -1 }),
  gelu: (graph, x, out, c) => {
    const constant = (name: string, v: number) => graph.floats(`${out}/${name}`, [], new Float32Array([v]));
    const half = graph.node('Mul', [x, constant('half', 0.5)], `${out}/half`);
    let inner: string;
    if (c.approximate === 'tanh') {
      const cube = graph.node('Mul', [graph.node('Mul', [x, x], `${out}/sq`), x], `${out}/cube`);
      const sum = graph.node('Add', [x, graph.node('Mul', [cube, constant('c', 0.044715)], `${out}/c3`)], `${out}/sum`);
      inner = graph.node('Tanh', [graph.node('Mul', [sum, constant('k', Math.sqrt(2 / Math.PI))], `${out}/scaled`)], `${out}/tanh`);
    } else {
      inner = graph.node('Erf', [graph.node('Mul', [x, constant('r', Math.SQRT1_2)], `${out}/scaled`)], `${out}/erf`);
    }
    return graph.node('Mul', [half, graph.node('Add', [inner, constant('one', 1)], `${out}/plus1`)], out);
  },
};

/** The activation of a layer config's `activation` field (a name or `{ name, ...options }`), or undefined for none. */
export function activationOf(config: Record<string, unknown>): ActivationConfig | undefined {
  const value = config.activation;
  if (value === undefined || value === null) return undefined;
  const spec = typeof value === 'string' ? { name: value } : (value as ActivationConfig);
  const options = typeof config.alpha === 'number' ? { alpha: config.alpha } : {};
  const approximate = typeof config.approximate === 'string' ? { approximate: config.approximate } : {};
  const lower = spec.name.toLowerCase();
  return { ...options, ...approximate, ...spec, name: ALIASES[lower] ?? lower };
}

/** Appends `activation` of `x` to the graph (nothing for linear) and returns the result's name. */
export function emitActivation(
  graph: OnnxGraph,
  x: string,
  out: string,
  activation: ActivationConfig | undefined,
  layerName: string,
): string {
  if (!activation) return x;
  const emit = ACTIVATIONS[activation.name];
  if (!emit) {
    throw new ConvkitError(
      'unexportable-layer',
      `layer ${layerName}: activation "${activation.name}" has no ONNX export; use one of ${Object.keys(ACTIVATIONS).join(', ')}`,
    );
  }
  return emit(graph, x, out, activation);
}
