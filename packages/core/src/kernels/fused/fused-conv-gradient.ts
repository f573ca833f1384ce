import * as tf from '@tensorflow/tfjs-core';
import { ConvkitError } from '../../errors.js';
import type { KernelParams } from '../replace-kernel.js';
import { coversWholeInput, fullWindowConvGradients, prefersMatrixProducts } from './full-window-conv-gradient.js';

/**
 * The tape name of tfjs's `tf.fused.conv2d` under a gradient tape (its op scope): tfjs-layers' Conv2D
 * runs every convolution through it. tfjs records it as a custom-gradient op whose gradient computes
 * the input, filter and bias gradients all at once, so the first convolution of every network pays
 * for an input gradient nobody reads (on LeNet-5 on tensorflow, the step's slowest kernel). A
 * gradient registered under this name replaces that one (tfjs looks the registry up first).
 */
export const FUSED_CONV2D_SCOPE = 'fusedConv2d__op';

/** The attributes of tfjs's FusedConv2D kernel that its gradient needs. */
interface FusedConv2DAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

// A FusedConv2D output's attributes, by the output's data (tfjs-core keys its own tensor data the
// same way); the tape saves a copy of the output, whose data Identity ties to the original's.
const forwardAttrs = new WeakMap<object, FusedConv2DAttrs>();

/** `stock` (a backend's FusedConv2D kernel), remembering the attributes of each output for the gradient. */
export function recordingFusedConv2D(stock: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const out = stock(params) as tf.TensorInfo;
    forwardAttrs.set(out.dataId, params.attrs as unknown as FusedConv2DAttrs);
    return out;
  };
}

/**
 * `stock` (a backend's Identity kernel), carrying a FusedConv2D output's attributes over to its copy:
 * tensorflow and cpu share the data (a no-op here), wasm copies it into new data.
 */
export function recordingIdentity(stock: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const out = stock(params) as tf.TensorInfo;
    const x = (params.inputs as { x: tf.TensorInfo }).x;
    const attrs = forwardAttrs.get(x.dataId);
    if (attrs && out.dataId !== x.dataId) forwardAttrs.set(out.dataId, attrs);
    return out;
  };
}

function isOne(value: number | [number, number]): boolean {
  return Array.isArray(value) ? value[0] === 1 && value[1] === 1 : value === 1;
}

/**
 * tfjs's fused conv2d gradient (linear activation: tfjs fuses nothing else under a tape), with each
 * input's gradient computed only when the tape asks for it: the input gradient of a network's first
 * convolution is never run, nor the filter gradient when only the input's is wanted (saliency maps).
 * Same kernels and attributes as tfjs's own, so the values are identical, except where the window
 * covers the whole input: there, except on cpu, the two gradients are a dense layer's matrix products
 * ({@link fullWindowConvGradients}), equal up to the order of summation.
 */
export const fusedConv2dGradient: tf.GradConfig = {
  kernelName: FUSED_CONV2D_SCOPE,
  gradFunc: (dy, saved) => {
    const [filter, x, y, bias] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor | undefined];
    const attrs = forwardAttrs.get(y.dataId);
    if (!attrs) {
      throw new ConvkitError(
        'unregistered-backend',
        `the gradient of a fused conv2d found no forward attributes on backend '${tf.getBackend()}' (its FusedConv2D kernel is not convkit's recording one); activate the backend with initBackend, or call registerFusedKernels('${tf.getBackend()}') after registering it`,
      );
    }
    if (attrs.dataFormat !== 'NHWC' || !isOne(attrs.dilations) || (attrs.activation ?? 'linear') !== 'linear') {
      throw new ConvkitError(
        'unsupported-gradient',
        `fused conv2d gradient: got dataFormat ${attrs.dataFormat}, dilations ${attrs.dilations}, activation ${attrs.activation}; expected NHWC, 1 and linear (as tfjs's own gradient); use tf.conv2d for the others`,
      );
    }
    // A rank-3 call reshapes its output after the kernel; its gradient arrives in that shape.
    const g = (dy as tf.Tensor).rank === 4 ? (dy as tf.Tensor4D) : tf.reshape(dy as tf.Tensor, y.shape);
    const common = { strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC', dimRoundingMode: attrs.dimRoundingMode };
    const grads: Record<string, () => tf.Tensor> =
      coversWholeInput(x.shape, filter.shape, attrs.pad) && prefersMatrixProducts(tf.getBackend())
        ? fullWindowConvGradients(g, x, filter)
        : {
            0: () =>
              tf.engine().runKernel('Conv2DBackpropInput', { dy: g, filter }, { ...common, inputShape: x.shape } as never) as tf.Tensor,
            1: () =>
              tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g }, { ...common, filterShape: filter.shape } as never) as tf.Tensor,
          };
    if (bias) {
      grads[2] = () => {
        const axes = tf.backend_util.getReductionAxes(bias.shape, g.shape);
        return tf.reshape(axes.length > 0 ? tf.sum(g, axes) : g, bias.shape);
      };
    }
    return grads;
  },
};
