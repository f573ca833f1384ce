import * as tf from '@tensorflow/tfjs-core';
import type { TensorflowBackend } from '../fused/tensorflow-fused-kernels.js';
import { type KernelParams, replacedKernel } from '../replace-kernel.js';

/** What tfjs passes to AvgPool and AvgPoolGrad. */
interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? v : [v, v]);

/**
 * Whether a pool over `shape` (NHWC) is a 2x2 window at stride 2 that tiles the input exactly: then
 * every output is the mean of its own four inputs, with no padding (`same` pads nothing on even sides).
 */
export function isHalvingPool(shape: readonly number[], attrs: PoolAttrs): boolean {
  const [fh, fw] = pair(attrs.filterSize);
  const [sh, sw] = pair(attrs.strides);
  const [, h, w] = shape as [number, number, number, number];
  const noPadding = attrs.pad === 'valid' || attrs.pad === 'same' || attrs.pad === 0;
  return fh === 2 && fw === 2 && sh === 2 && sw === 2 && h % 2 === 0 && w % 2 === 0 && noPadding && shape.length === 4;
}

function resizeAttrs(node: TensorflowBackend): { name: string; type: number; value: unknown }[] {
  const b = node.binding;
  return [
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'align_corners', type: b.TF_ATTR_BOOL, value: false },
    { name: 'half_pixel_centers', type: b.TF_ATTR_BOOL, value: true },
  ];
}

/**
 * AvgPool on the tensorflow backend. A 2x2 pool at stride 2 runs as libtensorflow's ResizeBilinear to
 * half the size with half-pixel centers, which samples each output at the centre of its four inputs
 * with weights 1/2 along each axis, i.e. their mean (to float rounding), at about half the time of
 * its AvgPool on few channels (LeNet-5's 6 and 16). Every other pool goes to tfjs-node's kernel.
 */
export function avgPoolTensorflow(params: KernelParams): tf.TensorInfo {
  const { x } = params.inputs as { x: tf.TensorInfo };
  const attrs = params.attrs as unknown as PoolAttrs;
  if (x.dtype !== 'float32' || !isHalvingPool(x.shape, attrs)) {
    return (replacedKernel('AvgPool', 'tensorflow') as tf.KernelFunc)(params) as tf.TensorInfo;
  }
  const node = params.backend as unknown as TensorflowBackend;
  const [, h, w] = x.shape as [number, number, number, number];
  const size = tf.tensor1d([h / 2, w / 2], 'int32');
  const out = node.executeSingleOutput('ResizeBilinear', resizeAttrs(node), [x, size]);
  size.dispose();
  return out;
}

/**
 * AvgPoolGrad on the tensorflow backend: for a 2x2 pool at stride 2, libtensorflow's ResizeBilinearGrad
 * of the same half-pixel resize, which hands each input exactly a quarter of its output's gradient,
 * as AvgPoolGrad does. tfjs-node's own ResizeBilinearGrad drops `half_pixel_centers`, so the op is run
 * here by name. Every other pool goes to tfjs-node's kernel.
 */
export function avgPoolGradTensorflow(params: KernelParams): tf.TensorInfo {
  const { dy, input } = params.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const attrs = params.attrs as unknown as PoolAttrs;
  if (input.dtype !== 'float32' || !isHalvingPool(input.shape, attrs)) {
    return (replacedKernel('AvgPoolGrad', 'tensorflow') as tf.KernelFunc)(params) as tf.TensorInfo;
  }
  const node = params.backend as unknown as TensorflowBackend;
  return node.executeSingleOutput('ResizeBilinearGrad', resizeAttrs(node), [dy, input]);
}
