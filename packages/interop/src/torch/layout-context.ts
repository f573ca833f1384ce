import type { layers } from '@tensorflow/tfjs-layers';
import type { LayoutContext } from './weight-layouts.js';

type Layer = layers.Layer;

function firstInbound(layer: Layer): Layer | undefined {
  return layer.inboundNodes[0]?.inboundLayers[0] as Layer | undefined;
}

/** The shape of a layer's single input (tfjs keeps a list of input shapes per node). */
function inputShape(layer: Layer): unknown {
  const shapes = layer.inboundNodes[0]?.inputShapes;
  return Array.isArray(shapes) && Array.isArray(shapes[0]) ? shapes[0] : shapes;
}

/**
 * What a layer's weight layout depends on in the graph: for a dense layer, the `[H, W, C]` map a
 * Flatten before it flattened (through shape-keeping layers such as dropout), since PyTorch flattens
 * CHW and tfjs HWC.
 */
export function layoutContext(layer: Layer): LayoutContext {
  let previous = firstInbound(layer);
  while (previous && previous.getClassName() !== 'Flatten') {
    if (JSON.stringify(inputShape(previous)) !== JSON.stringify(previous.outputShape)) return {};
    previous = firstInbound(previous);
  }
  const shape = previous && (inputShape(previous) as number[]);
  if (!Array.isArray(shape) || shape.length !== 4) return {};
  return { flattenedFrom: shape.slice(1) as [number, number, number] };
}
