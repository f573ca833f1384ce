import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Output shapes of a model without the batch axis, one per output. */
export function outputShapes(model: LayersModel): number[][] {
  return model.outputs.map((output) => output.shape.slice(1) as number[]);
}

/** Output shape of the layer `name` without the batch axis. */
export function layerShape(model: LayersModel, name: string): number[] {
  return (model.getLayer(name).outputShape as number[]).slice(1);
}
