import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { KERNEL_INITIALIZER } from './initializers.js';

/** A fully connected classifier: hidden layers with activation and dropout, then the logits layer. */
export interface ClassifierHeadSpec {
  /** Hidden fully connected layers in order, e.g. AlexNet's `classifier.fc6` and `classifier.fc7`. */
  hidden: { name: string; units: number }[];
  /** Name of the final layer, which outputs logits (no softmax: losses take logits). */
  logitsName: string;
  numClasses: number;
  activation: 'relu' | 'tanh';
  /** Drop rate of each hidden layer's dropout; 0 leaves the dropout layers out. */
  dropout: number;
  /**
   * Where each hidden layer's dropout (`<name>.dropout`) sits: `after` its activation, as in the
   * papers, Caffe and torchvision's VGG, or `before` the layer, as in torchvision's AlexNet.
   */
  dropoutPlacement: 'before' | 'after';
}

/** Applies the classifier described by `spec` to the flat feature vector `x` and returns the logits. */
export function classifierHead(x: SymbolicTensor, spec: ClassifierHeadSpec): SymbolicTensor {
  const dropout = (input: SymbolicTensor, name: string) =>
    spec.dropout > 0 ? (layers.dropout({ name: `${name}.dropout`, rate: spec.dropout }).apply(input) as SymbolicTensor) : input;
  let y = x;
  for (const { name, units } of spec.hidden) {
    if (spec.dropoutPlacement === 'before') y = dropout(y, name);
    y = denseLayer(y, name, units, spec.activation);
    if (spec.dropoutPlacement === 'after') y = dropout(y, name);
  }
  return denseLayer(y, spec.logitsName, spec.numClasses);
}

/** A fully connected layer named `name` applied to `x`; without `activation` it outputs logits. */
export function denseLayer(
  x: SymbolicTensor,
  name: string,
  units: number,
  activation: 'relu' | 'tanh' | 'linear' = 'linear',
): SymbolicTensor {
  return layers.dense({ name, units, activation, kernelInitializer: KERNEL_INITIALIZER }).apply(x) as SymbolicTensor;
}
