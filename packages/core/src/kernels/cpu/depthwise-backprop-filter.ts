import type * as tf from '@tensorflow/tfjs-core';
import { type ConvGradientAttrs, convGeometry } from '../conv-geometry.js';
import type { KernelParams } from '../replace-kernel.js';
import { cpuTensor, cpuValues } from './cpu-tensors.js';
import { tapOffset, windowOffsets } from './window-offsets.js';

/**
 * DepthwiseConv2dNativeBackpropFilter on the cpu backend as direct loops over typed arrays,
 * accumulating in float64: `dW[tap, c, m] = Σ_p x[p, tap, c] · dy[p, c·M + m]`. The stock kernel
 * goes through bounds-checked buffers and runs more than 20x slower than the forward op.
 */
export function depthwiseBackpropFilterCpu({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as ConvGradientAttrs & { filterShape: number[] };
  const g = convGeometry(x.shape, a.filterShape, a, true);
  const [, , c, m] = a.filterShape as [number, number, number, number];
  const xv = cpuValues(backend, x);
  const dyv = cpuValues(backend, dy);
  const acc = new Float64Array(g.filterHeight * g.filterWidth * c * m);
  const offsets = windowOffsets(g);
  const pixels = g.batch * g.outHeight * g.outWidth;
  const cm = c * m;
  for (let p = 0; p < pixels; p++) {
    const d = p * cm;
    for (let fh = 0; fh < g.filterHeight; fh++) {
      for (let fw = 0; fw < g.filterWidth; fw++) {
        const o = tapOffset(offsets, g, p, fh, fw);
        if (o < 0) continue;
        const tapBase = (fh * g.filterWidth + fw) * cm;
        if (m === 1) {
          for (let ch = 0; ch < c; ch++)
            acc[tapBase + ch] = (acc[tapBase + ch] as number) + (xv[o + ch] as number) * (dyv[d + ch] as number);
        } else {
          for (let ch = 0; ch < c; ch++) {
            const v = xv[o + ch] as number;
            for (let q = 0; q < m; q++) {
              const k = ch * m + q;
              acc[tapBase + k] = (acc[tapBase + k] as number) + v * (dyv[d + k] as number);
            }
          }
        }
      }
    }
  }
  return cpuTensor(backend, [...a.filterShape], acc);
}
