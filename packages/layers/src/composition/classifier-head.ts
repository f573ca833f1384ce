import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { type InitializerSpec, resolveInitializer } from '../base/initializers.js';

/** A classifier: optional global average pool, hidden fully connected layers with dropout, then the logits. */
export interface ClassifierHeadSpec {
  /** Global average pool of an NHWC map first, named so (torchvision's `avgpool`); without it `x` must be flat. */
  globalPool?: string;
  /** Hidden fully connected layers in order, e.g. AlexNet's `classifier.fc6` and `classifier.fc7`. */
  hidden?: { name: string; units: number }[];
  /** Activation of the hidden layers; default `'relu'`. */
  activation?: 'relu' | 'tanh';
  /** Drop rate of the head's dropout layers; 0 (default) leaves them out. */
  dropout?: number;
  /**
   * Where each hidden layer's dropout (`<name>.dropout`) sits: `after` its activation (default), as in
   * the papers, Caffe and torchvision's VGG, or `before` the layer, as in torchvision's AlexNet.
   */
  dropoutPlacement?: 'before' | 'after';
  /** A dropout right before the logits layer, named so (GoogLeNet's `dropout`, torchvision MobileNetV2's `classifier.0`). */
  logitsDropout?: string;
  /** Name of the final layer, which outputs logits (no softmax: losses take logits). */
  logitsName: string;
  numClasses: number;
  /** Kernel initializer of every layer of the head: the family's `WeightInit.dense`. */
  kernelInitializer: InitializerSpec;
}

/** Applies the classifier described by `spec` to `x` and returns the logits. */
export function classifierHead(x: SymbolicTensor, spec: ClassifierHeadSpec): SymbolicTensor {
  const rate = spec.dropout ?? 0;
  const placement = spec.dropoutPlacement ?? 'after';
  const dropout = (input: SymbolicTensor, name: string) =>
    rate > 0 ? (layers.dropout({ name, rate }).apply(input) as SymbolicTensor) : input;
  let y = spec.globalPool ? (layers.globalAveragePooling2d({ name: spec.globalPool }).apply(x) as SymbolicTensor) : x;
  for (const { name, units } of spec.hidden ?? []) {
    if (placement === 'before') y = dropout(y, `${name}.dropout`);
    y = denseLayer(y, name, units, spec.kernelInitializer, spec.activation ?? 'relu');
    if (placement === 'after') y = dropout(y, `${name}.dropout`);
  }
  if (spec.logitsDropout) y = dropout(y, spec.logitsDropout);
  return denseLayer(y, spec.logitsName, spec.numClasses, spec.kernelInitializer);
}

/** A fully connected layer named `name` applied to the flat `x`; without `activation` it outputs logits. */
export function denseLayer(
  x: SymbolicTensor,
  name: string,
  units: number,
  kernelInitializer: InitializerSpec,
  activation: 'relu' | 'tanh' | 'linear' = 'linear',
): SymbolicTensor {
  const inputs = x.shape[x.shape.length - 1] as number;
  const initializer = resolveInitializer(kernelInitializer, { fanIn: inputs, fanOut: units });
  return layers.dense({ name, units, activation, kernelInitializer: initializer }).apply(x) as SymbolicTensor;
}
