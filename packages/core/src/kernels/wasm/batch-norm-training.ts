import type * as tf from '@tensorflow/tfjs-core';
import { batchNormFactors, batchNormGradientFactors } from '../fused/batch-norm-loops.js';
import type { BatchNormTrainingAttrs } from '../fused/batch-norm-training.js';
import type { KernelParams } from '../replace-kernel.js';
import { WasmKernelCalls } from './kernel-calls.js';
import type { WasmHeapBackend } from './wasm-heap.js';

const ONE_BY_ONE = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], activation: 'linear' };

/** Runs `body` with fresh kernel calls and a float32 view maker, keeping the outputs it returns and freeing the rest. */
function withHeap(backend: unknown, body: (calls: WasmKernelCalls, heap: WasmHeapBackend) => tf.TensorInfo[]): tf.TensorInfo[] {
  const calls = new WasmKernelCalls(backend as tf.KernelBackend);
  try {
    return body(calls, backend as WasmHeapBackend).map((out) => calls.keep(out));
  } finally {
    calls.dispose();
  }
}

const view = (heap: WasmHeapBackend) => (t: tf.TensorInfo) => heap.typedArrayFromHeap(t) as Float32Array;

/**
 * `k·a + q` per channel of `a` (NHWC data of any rank, channels last), in one XNNPACK pass: a 1x1
 * depthwise convolution of `a`, seen as one row of pixels, with `k` as its filter and `q` as its bias.
 */
function scaleChannels(calls: WasmKernelCalls, a: tf.TensorInfo, k: tf.TensorInfo, q: tf.TensorInfo | undefined): tf.TensorInfo {
  const channels = a.shape.at(-1) as number;
  const row = calls.reshape(a, [1, 1, a.shape.reduce((n, d) => n * d, 1) / channels, channels]);
  const scaled = calls.run('FusedDepthwiseConv2D', q ? { x: row, filter: k, bias: q } : { x: row, filter: k }, ONE_BY_ONE);
  return calls.reshape(scaled, a.shape);
}

/**
 * Training-mode batch norm on wasm: the statistics by {@link batchNormFactors}' float64 loops, the
 * output `k·x + q` by XNNPACK (see {@link scaleChannels}). The output pass in JavaScript took 3.8 of
 * 7.5 ms for 64x32x32x16 float32, XNNPACK's 0.6 ms; the factors round to float32 first, which moves
 * the output by at most a few float32 units of its largest value, as TensorFlow's float32 kernel does.
 */
export function batchNormTrainingWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo[] {
  const { x, scale, offset, movingMean, movingVariance } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon, momentum } = attrs as unknown as BatchNormTrainingAttrs;
  const channels = (x as tf.TensorInfo).shape.at(-1) as number;
  return withHeap(backend, (calls, heap) => {
    const statistics = [0, 1, 2, 3].map(() => heap.makeOutput([channels], 'float32'));
    const k = calls.track(heap.makeOutput([1, 1, channels, 1], 'float32'));
    const q = calls.track(heap.makeOutput([channels], 'float32'));
    const f32 = view(heap);
    const factors = batchNormFactors(
      f32(x as tf.TensorInfo),
      [scale, offset, movingMean, movingVariance].map((t) => f32(t as tf.TensorInfo)),
      statistics.map(f32),
      channels,
      epsilon,
      momentum,
    );
    f32(k).set(factors.k);
    f32(q).set(factors.q);
    return [scaleChannels(calls, x as tf.TensorInfo, k, q), ...statistics];
  });
}

/**
 * The gradient of {@link batchNormTrainingWasm}: the sums by {@link batchNormGradientFactors}'
 * float64 loops, `dx = k·dy + (p·x + q)` as two XNNPACK channel scalings and an add (64x32x32x16:
 * 3.2 ms in JavaScript).
 */
export function batchNormTrainingGradWasm({ inputs, backend, attrs }: KernelParams): tf.TensorInfo[] {
  const { dy, x, scale, savedMean, savedVariance } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const channels = (x as tf.TensorInfo).shape.at(-1) as number;
  return withHeap(backend, (calls, heap) => {
    const sums = [0, 1].map(() => heap.makeOutput([channels], 'float32'));
    const [k, p] = [0, 1].map(() => calls.track(heap.makeOutput([1, 1, channels, 1], 'float32'))) as [tf.TensorInfo, tf.TensorInfo];
    const q = calls.track(heap.makeOutput([channels], 'float32'));
    const f32 = view(heap);
    const factors = batchNormGradientFactors(
      [dy, x, scale, savedMean, savedVariance].map((t) => f32(t as tf.TensorInfo)),
      sums.map(f32),
      channels,
      epsilon,
    );
    f32(k).set(factors.k);
    f32(p).set(factors.p);
    f32(q).set(factors.q);
    const dx = calls.run('Add', {
      a: scaleChannels(calls, dy as tf.TensorInfo, k, undefined),
      b: scaleChannels(calls, x as tf.TensorInfo, p, q),
    });
    return [dx, ...sums];
  });
}
