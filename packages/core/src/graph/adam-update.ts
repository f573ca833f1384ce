import { attr, type TfGraph } from './tf-graph.js';

const F = { T: attr.type('float32') };

/** One weight's Adam update, as graph tensors. */
export interface AdamUpdateParts {
  /** The weight's and its moments' variable handles. */
  weight: string;
  moments: [string, string];
  /** The weight's value read at the start of the step. */
  value: string;
  gradient: string;
  learningRate: string;
  /** `1 - beta1^t` and `1 - beta2^t`, fed per step. */
  biasCorrections: [string, string];
  /** AdamW's `learningRate * weightDecay`, fed per step; undefined where the weight is not decayed. */
  decoupledDecay: string | undefined;
  config: { beta1?: number; beta2?: number; epsilon?: number };
  name: string;
}

/**
 * Adam's update of one weight with the eager optimizer's float32 ops in its order (m and v first,
 * then `w - lr * m̂ / (sqrt(v̂) + eps)`, then AdamW's `- w * lr * decay`), so both engines give the
 * same bits; TensorFlow's ResourceApplyAdam folds the bias corrections into the learning rate and
 * rounds differently. Returns the assignments, which the step's outputs wait for.
 */
export function adamUpdate(graph: TfGraph, parts: AdamUpdateParts): string[] {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = parts.config;
  const read = (handle: string) => graph.op('ReadVariableOp', [handle], { dtype: attr.type('float32') });
  const mul = (a: string, b: string) => graph.op('Mul', [a, b], F);
  const add = (a: string, b: string) => graph.op('AddV2', [a, b], F);
  const div = (a: string, b: string) => graph.op('RealDiv', [a, b], F);
  const g = parts.gradient;
  const m = add(mul(read(parts.moments[0]), graph.scalar(beta1)), mul(g, graph.scalar(1 - beta1)));
  const v = add(mul(read(parts.moments[1]), graph.scalar(beta2)), mul(graph.op('Square', [g], F), graph.scalar(1 - beta2)));
  const step = div(div(m, parts.biasCorrections[0]), add(graph.op('Sqrt', [div(v, parts.biasCorrections[1])], F), graph.scalar(epsilon)));
  let next = graph.op('Sub', [parts.value, mul(step, parts.learningRate)], F);
  if (parts.decoupledDecay) next = graph.op('Sub', [next, mul(parts.value, parts.decoupledDecay)], F);
  const assign = (handle: string, value: string, what: string) =>
    graph.op('AssignVariableOp', [handle, value], { dtype: attr.type('float32') }, { name: `${parts.name}/${what}` });
  return [assign(parts.moments[0], m, 'm'), assign(parts.moments[1], v, 'v'), assign(parts.weight, next, 'w')];
}
