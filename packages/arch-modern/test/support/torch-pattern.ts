import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A phase per tensor from its state_dict name, as fixtures/torchvision_resnet50_logits.py computes it. */
function nameSeed(name: string): number {
  let sum = 0;
  for (let i = 0; i < name.length; i++) sum += (i + 1) * name.charCodeAt(i);
  return (sum % 1000) / 7;
}

/**
 * The value the fixture script gives state_dict entry `name` of PyTorch shape `shape`, flat in
 * PyTorch's layout: `u = sin(0.7 k + seed(name))`, scaled by the entry's role.
 */
export function torchPattern(name: string, shape: number[]): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const seed = nameSeed(name);
  const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
  const values = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const u = Math.sin(0.7 * k + seed);
    if (name.endsWith('running_mean') || name.endsWith('bias')) values[k] = 0.1 * u;
    else if (name.endsWith('running_var')) values[k] = 1 + 0.25 * (u + 1);
    else if (shape.length === 1) values[k] = 1 + 0.2 * u;
    else values[k] = u * Math.sqrt(1 / fanIn);
  }
  return values;
}

/** The state_dict suffix of each tfjs weight of a convolution, batch norm or dense layer. */
const TORCH_SUFFIX: Record<string, string> = {
  kernel: 'weight',
  bias: 'bias',
  gamma: 'weight',
  beta: 'bias',
  moving_mean: 'running_mean',
  moving_variance: 'running_var',
};

/** Transposes a row-major tensor of `shape` by `axes` (`out.shape[i] = shape[axes[i]]`), in plain JavaScript. */
function transpose(values: Float64Array, shape: number[], axes: number[]): Float32Array {
  const outShape = axes.map((a) => shape[a] as number);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let i = 0; i < axes.length; i++) source += (index[i] as number) * (strides[axes[i] as number] as number);
    out[o] = values[source] as number;
    for (let i = outShape.length - 1; i >= 0; i--) {
      index[i] = (index[i] as number) + 1;
      if ((index[i] as number) < (outShape[i] as number)) break;
      index[i] = 0;
    }
  }
  return out;
}

/**
 * The fixture pattern of every weight of `model`, in tfjs layout, from its torchvision counterpart:
 * layer `layer1.0.conv1`'s kernel is `layer1.0.conv1.weight` (OIHW, transposed to HWIO), `fc`'s kernel
 * `fc.weight` transposed, a batch norm's gamma/beta/moving statistics its weight/bias/running_*: the
 * name-for-name mapping a state_dict import is. Pass the result to {@link setWeightValues}.
 */
export function torchPatternWeights(model: LayersModel): Map<string, Float32Array[]> {
  const weights = new Map<string, Float32Array[]>();
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    weights.set(
      layer.name,
      layer.weights.map((w) => {
        const role = w.originalName.split('/').pop() as string;
        const name = `${layer.name}.${TORCH_SUFFIX[role]}`;
        const shape = w.shape as number[];
        if (role === 'kernel' && shape.length === 4) {
          const [kh, kw, cin, cout] = shape as [number, number, number, number];
          return transpose(torchPattern(name, [cout, cin, kh, kw]), [cout, cin, kh, kw], [2, 3, 1, 0]);
        }
        if (role === 'kernel') {
          const [inputs, units] = shape as [number, number];
          return transpose(torchPattern(name, [units, inputs]), [units, inputs], [1, 0]);
        }
        return Float32Array.from(torchPattern(name, shape));
      }),
    );
  }
  return weights;
}

/** Writes `weights` (by layer name, in each layer's weight order) into `model`. */
export function setWeightValues(model: LayersModel, weights: Map<string, Float32Array[]>): void {
  for (const layer of model.layers) {
    const values = weights.get(layer.name);
    if (!values) continue;
    const tensors = values.map((v, i) => tf.tensor(v, layer.weights[i]?.shape as number[]));
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}

/** The fixture's input images, `sin(0.37 k)` over the flat NCHW index, as an NHWC tensor. */
export function torchPatternInput(batch: number, size: number, channels = 3): tf.Tensor4D {
  const nchw = Float32Array.from({ length: batch * channels * size * size }, (_, k) => Math.sin(0.37 * k));
  return tf.tidy(() => tf.transpose(tf.tensor4d(nchw, [batch, channels, size, size]), [0, 2, 3, 1]));
}
