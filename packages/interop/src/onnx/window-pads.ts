import type { layers } from '@tensorflow/tfjs-layers';

/** ONNX's `pads` attribute of a 2-D window op: `[top, left, bottom, right]`. */
export type OnnxPads = [number, number, number, number];

/**
 * TensorFlow's padding for `'same'` / `'valid'` at a fixed input size: `'same'` pads
 * `max((ceil(in / s) - 1) * s + (k - 1) * d + 1 - in, 0)` per axis, the odd one at the bottom/right.
 */
export function tensorflowPads(
  padding: string,
  size: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilation: [number, number] = [1, 1],
): OnnxPads {
  if (padding !== 'same') return [0, 0, 0, 0];
  const [before, after] = [0, 1].map((axis) => {
    const [n, k, s, d] = [size[axis], kernel[axis], strides[axis], dilation[axis]] as [number, number, number, number];
    const total = Math.max((Math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }) as [[number, number], [number, number]];
  return [before[0], after[0], before[1], after[1]];
}

/** The plan convkit's sliding-window layers make for an input size (see `SlidingWindowLayer.plan`). */
interface WindowPlanned {
  pads: [[number, number], [number, number]];
  overhang: [[number, number], [number, number]];
}

/**
 * The pads a convkit convolution or pooling layer applies at its input's NHWC `shape`, ceil-mode
 * overhang included, taken from the layer's own plan so the export pads exactly as the layer does.
 */
export function convkitPads(layer: layers.Layer, shape: (number | null)[]): { pads: OnnxPads; overhang: boolean } {
  // `plan` is protected API of @convkit/layers' SlidingWindowLayer; the exporter is its one outside reader.
  const plan = (layer as unknown as { plan(shape: (number | null)[]): WindowPlanned }).plan(shape);
  const [[top, bottom], [left, right]] = plan.pads;
  return { pads: [top, left, bottom, right], overhang: plan.overhang.flat().some((p) => p > 0) };
}
