import { activation, batchNorm, Conv2d } from '@convkit/layers';
import { layers } from '@tensorflow/tfjs-layers';
import { type Flow, layerUnit, type Unit } from './unit.js';

/**
 * Halves the map without losing half the pixels: after a ReLU, two 1x1 stride-2 convolutions of
 * `filters / 2` each, the second on the input shifted by one pixel (rows and columns from 1 on),
 * concatenated and batch-normalized (the reference's `FactorizedReduce`). `skip_connect` at stride 2
 * and a cell after a reduction cell use it. Input sizes must be even, as in the reference.
 */
export function factorizedReduce(prefix: string, filters: number, affine: boolean): Unit {
  const relu = layerUnit(activation('relu', `${prefix}.relu`));
  const half = (name: string) =>
    layerUnit(
      new Conv2d({
        name: `${prefix}.${name}`,
        filters: filters / 2,
        kernelSize: 1,
        strides: 2,
        useBias: false,
        kernelInitializer: 'torchUniform',
      }),
    );
  const [convA, convB] = [half('conv1'), half('conv2')];
  const shift = layerUnit(
    layers.cropping2D({
      name: `${prefix}.shift`,
      cropping: [
        [1, 0],
        [1, 0],
      ],
    }),
  );
  const concat = layers.concatenate({ axis: -1, name: `${prefix}.concat` });
  const bn = layerUnit(batchNorm({ name: `${prefix}.bn`, affine }));
  return (x, flags) => {
    const y = relu(x, flags);
    const joined = concat.apply([convA(y, flags), convB(shift(y, flags), flags)] as never) as Flow;
    return bn(joined, flags);
  };
}
