import { AdaptiveAvgPool2d, classifierHead, convBnAct, scaleWidth } from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { CLASSIC_INIT, type ConvNormalization, classicNames } from './conventions.js';

/** How one of GoogLeNet's auxiliary classifiers is built. */
export interface AuxiliaryClassifierSpec {
  normalization: ConvNormalization;
  /**
   * `window`: the paper's 5x5 average pool of stride 3 (4x4 on a 14x14 map); `adaptive`:
   * torchvision's adaptive average pool to 4x4, whose bins differ from the paper's windows.
   */
  pooling: 'window' | 'adaptive';
  numClasses: number;
  /** Drop rate after the 1024-unit layer; 0.7 in the paper. */
  dropout: number;
  widthMultiplier: number;
}

/**
 * An auxiliary classifier of GoogLeNet (paper §5): average pool to 4x4, 1x1 convolution with 128
 * filters and ReLU, a 1024-unit fully connected layer with ReLU and dropout, then the logits.
 * Layers are named `<name>.pool`, `<name>.conv`, `<name>.flatten`, `<name>.fc1` and `<name>.fc2`.
 */
export function auxiliaryClassifier(x: SymbolicTensor, name: string, spec: AuxiliaryClassifierSpec): SymbolicTensor {
  const pool =
    spec.pooling === 'window'
      ? layers.averagePooling2d({ name: `${name}.pool`, poolSize: 5, strides: 3, padding: 'valid' })
      : new AdaptiveAvgPool2d({ name: `${name}.pool`, outputSize: 4 });
  const pooled = pool.apply(x) as SymbolicTensor;
  const projected = convBnAct(`${name}.conv`, {
    filters: scaleWidth(128, spec.widthMultiplier),
    kernelSize: 1,
    padding: 'valid',
    activation: 'relu',
    ...spec.normalization,
    kernelInitializer: CLASSIC_INIT.conv,
    names: classicNames(`${name}.conv`, 'relu'),
  })(pooled);
  const flat = layers.flatten({ name: `${name}.flatten` }).apply(projected) as SymbolicTensor;
  return classifierHead(flat, {
    hidden: [{ name: `${name}.fc1`, units: scaleWidth(1024, spec.widthMultiplier) }],
    logitsName: `${name}.fc2`,
    numClasses: spec.numClasses,
    activation: 'relu',
    dropout: spec.dropout,
    dropoutPlacement: 'after',
    kernelInitializer: CLASSIC_INIT.dense,
  });
}
