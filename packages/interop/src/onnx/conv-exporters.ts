import { activationOf, emitActivation } from './activations.js';
import { type ExportContext, type LayerExporter, only, pair, spatial } from './export-context.js';
import { depthwiseToOihw, kernelToOihw } from './tensor-layouts.js';
import { convkitPads, type OnnxPads, tensorflowPads } from './window-pads.js';

/** One ONNX Conv with the layer's bias and fused activation. */
function conv(
  context: ExportContext,
  kernel: { dims: number[]; values: Float32Array },
  geometry: { strides: [number, number]; dilations: [number, number]; pads: OnnxPads; group: number },
): string {
  const { graph, layer } = context;
  const w = graph.floats(`${layer.name}/W`, kernel.dims, kernel.values);
  const bias = context.weights.get('bias');
  const inputs = [only(context), w, ...(bias ? [graph.floats(`${layer.name}/B`, bias.shape, bias.values)] : [])];
  const y = graph.node('Conv', inputs, layer.name, {
    kernel_shape: kernel.dims.slice(2),
    strides: geometry.strides,
    dilations: geometry.dilations,
    pads: geometry.pads,
    group: geometry.group,
  });
  return emitActivation(graph, y, `${layer.name}/act`, activationOf(context.config), layer.name);
}

/** tfjs's Conv2D: HWIO kernel, TensorFlow's 'same'/'valid' padding. */
const tfConv2d: LayerExporter = (context) => {
  const { config } = context;
  const kernel = context.weights.get('kernel')!;
  const strides = pair(config.strides);
  const dilations = pair(config.dilationRate ?? 1);
  const pads = tensorflowPads(String(config.padding), spatial(context), pair(config.kernelSize), strides, dilations);
  return conv(context, kernelToOihw(kernel.values, kernel.shape), { strides, dilations, pads, group: 1 });
};

/** tfjs's DepthwiseConv2D: `[kh, kw, C, m]` kernel as a grouped convolution. */
const tfDepthwise: LayerExporter = (context) => {
  const { config } = context;
  const kernel = context.weights.get('depthwise_kernel')!;
  const strides = pair(config.strides);
  const dilations = pair(config.dilationRate ?? 1);
  const pads = tensorflowPads(String(config.padding), spatial(context), pair(config.kernelSize), strides, dilations);
  return conv(context, depthwiseToOihw(kernel.values, kernel.shape), { strides, dilations, pads, group: kernel.shape[2] as number });
};

/** convkit's Conv2d (groups, dilation, PyTorch padding) with its own planned pads. */
const convkitConv2d: LayerExporter = (context) => {
  const { config } = context;
  const kernel = context.weights.get('kernel')!;
  const { pads } = convkitPads(context.layer, context.inputShapes[0] as (number | null)[]);
  const geometry = { strides: pair(config.strides), dilations: pair(config.dilation ?? 1), pads, group: Number(config.groups ?? 1) };
  return conv(context, kernelToOihw(kernel.values, kernel.shape), geometry);
};

/** convkit's DepthwiseConv2d with its own planned pads. */
const convkitDepthwise: LayerExporter = (context) => {
  const { config } = context;
  const kernel = context.weights.get('depthwise_kernel')!;
  const { pads } = convkitPads(context.layer, context.inputShapes[0] as (number | null)[]);
  const geometry = { strides: pair(config.strides), dilations: pair(config.dilation ?? 1), pads, group: kernel.shape[2] as number };
  return conv(context, depthwiseToOihw(kernel.values, kernel.shape), geometry);
};

/** Convolution layers by class name. */
export const CONV_EXPORTERS: Record<string, LayerExporter> = {
  Conv2D: tfConv2d,
  DepthwiseConv2D: tfDepthwise,
  'convkit.Conv2d': convkitConv2d,
  'convkit.DepthwiseConv2d': convkitDepthwise,
};
