import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';

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
    y = layers.dense({ name, units, activation: spec.activation }).apply(y) as SymbolicTensor;
    if (spec.dropoutPlacement === 'after') y = dropout(y, name);
  }
  return layers.dense({ name: spec.logitsName, units: spec.numClasses }).apply(y) as SymbolicTensor;
}
