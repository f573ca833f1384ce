import { type LayerExporter, only } from './export-context.js';
import type { OnnxGraph } from './onnx-graph.js';

/**
 * `@convkit/attention`'s ChannelPool (CBAM): the maximum and the mean over the channels of each
 * position, in that order, concatenated; ONNX's channel axis is 1 (NCHW).
 */
const channelPool: LayerExporter = (context) => {
  const { graph, layer } = context;
  const x = only(context);
  const max = graph.node('ReduceMax', [x], `${layer.name}/max`, { axes: [1], keepdims: 1 });
  const mean = graph.node('ReduceMean', [x], `${layer.name}/mean`, { axes: [1], keepdims: 1 });
  return graph.node('Concat', [max, mean], layer.name, { axis: 1 });
};

/** An NCHW map `[n, c, h, w]` as `[n, c, h*w]` (batch kept dynamic by Reshape's 0). */
const positions = (graph: OnnxGraph, x: string, channels: number, out: string) =>
  graph.node('Reshape', [x, graph.int64s(`${out}/shape`, [0, channels, -1])], out);

/**
 * `@convkit/attention`'s NonLocalAttention (Wang et al. 2018, Sec. 3.2) on `[theta, phi, g]`:
 * `y_i = sum_j f(theta_i, phi_j) g_j / C(x)` as two MatMuls, with f's normalisation (a softmax over j
 * for the gaussian and embedded forms, 1/N for dot and concatenation); the concatenation form's
 * `w . [theta_i, phi_j]` is split into its theta and phi halves, broadcast to i x j, as the layer does.
 */
const nonLocal: LayerExporter = (context) => {
  const { graph, layer, inputs, config } = context;
  const [thetaShape, phiShape, gShape] = context.inputShapes as number[][];
  const [theta, phi, g] = inputs as [string, string, string];
  const c = thetaShape![3]!;
  const keys = phiShape![1]! * phiShape![2]!;
  const gc = gShape![3]!;
  const name = layer.name;
  // theta as [n, hw, c'], phi as [n, c', N], g as [n, N, c_g].
  const t = graph.node('Transpose', [positions(graph, theta, c, `${name}/theta`)], `${name}/theta_t`, { perm: [0, 2, 1] });
  const p = positions(graph, phi, c, `${name}/phi`);
  const v = graph.node('Transpose', [positions(graph, g, gc, `${name}/g`)], `${name}/g_t`, { perm: [0, 2, 1] });
  const byKeys = (x: string) => graph.node('Div', [x, graph.floats(`${name}/N`, [], new Float32Array([keys]))], `${name}/weights`);
  let weights: string;
  const pairwise = String(config.pairwise ?? 'embedded');
  if (pairwise === 'gaussian' || pairwise === 'embedded') {
    weights = graph.node('Softmax', [graph.node('MatMul', [t, p], `${name}/f`)], `${name}/weights`, { axis: -1 });
  } else if (pairwise === 'dot') {
    weights = byKeys(graph.node('MatMul', [t, p], `${name}/f`));
  } else {
    const w = context.weights.get('concat_project')!.values;
    const fromTheta = graph.node('MatMul', [t, graph.floats(`${name}/w_theta`, [c, 1], w.slice(0, c))], `${name}/from_theta`);
    const fromPhi = graph.node('MatMul', [graph.floats(`${name}/w_phi`, [1, c], w.slice(c, 2 * c)), p], `${name}/from_phi`);
    weights = byKeys(graph.node('Relu', [graph.node('Add', [fromTheta, fromPhi], `${name}/sum`)], `${name}/f`));
  }
  const y = graph.node('Transpose', [graph.node('MatMul', [weights, v], `${name}/y`)], `${name}/y_t`, { perm: [0, 2, 1] });
  return graph.node('Reshape', [y, graph.int64s(`${name}/out_shape`, [0, gc, thetaShape![1]!, thetaShape![2]!])], name);
};

/** The layers of `@convkit/attention` that are not built from other exported layers, by class name. */
export const ATTENTION_EXPORTERS: Record<string, LayerExporter> = {
  'convkit.ChannelPool': channelPool,
  'convkit.NonLocalAttention': nonLocal,
};
