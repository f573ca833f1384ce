import { ConvkitError } from '@convkit/core';
import { AvgPool2d, activation, batchNorm, Conv2d, denseLayer } from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { layerUnit, sequence } from './unit.js';

/**
 * The CIFAR auxiliary classifier of the DARTS evaluation network (the reference's
 * `AuxiliaryHeadCIFAR`, after NASNet's): ReLU, 5x5 average pool at stride 3 (an 8x8 map becomes
 * 2x2), 1x1 convolution to 128 and batch norm, ReLU, 2x2 convolution to 768 and batch norm, ReLU,
 * and a linear layer to the classes. It reads the output of the cell at 2/3 depth.
 */
export function auxiliaryHead(x: SymbolicTensor, numClasses: number): SymbolicTensor {
  const [, h, w] = x.shape as number[];
  if ((h as number) < 8 || (w as number) < 8) {
    throw new ConvkitError(
      'bad-input-size',
      `the DARTS auxiliary head needs a map of at least 8x8 at 2/3 depth (32x32 images), got ${h}x${w}; give larger images or set auxiliary: false`,
    );
  }
  const features = sequence([
    layerUnit(activation('relu', 'auxiliary.relu0')),
    layerUnit(new AvgPool2d({ name: 'auxiliary.pool', kernelSize: 5, strides: 3, countIncludePad: false })),
    layerUnit(new Conv2d({ name: 'auxiliary.conv1', filters: 128, kernelSize: 1, useBias: false, kernelInitializer: 'torchUniform' })),
    layerUnit(batchNorm({ name: 'auxiliary.bn1' })),
    layerUnit(activation('relu', 'auxiliary.relu1')),
    layerUnit(new Conv2d({ name: 'auxiliary.conv2', filters: 768, kernelSize: 2, useBias: false, kernelInitializer: 'torchUniform' })),
    layerUnit(batchNorm({ name: 'auxiliary.bn2' })),
    layerUnit(activation('relu', 'auxiliary.relu2')),
    layerUnit(layers.flatten({ name: 'auxiliary.flatten' })),
  ]);
  return denseLayer(features(x) as SymbolicTensor, 'auxiliary.classifier', numClasses, 'torchUniform');
}
