import type * as tf from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import type { WasmKernelCalls } from './kernel-calls.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * Along one axis, how the input rows of one phase `ρ` (rows `m·s + ρ`) get their gradient: from the
 * filter taps `tap, tap + s, ...` (`taps` of them; none where `tap` is past the filter), as a
 * stride-1 correlation of the output gradient padded by `before` and `after` (negative: cropped).
 */
export interface PhaseAxis {
  tap: number;
  taps: number;
  before: number;
  after: number;
}

/**
 * {@link PhaseAxis} of phase `phase` for a forward convolution of `stride`, padding `padBefore` and a
 * `filter`-tap kernel (dilation 1), whose output gradient has `outSize` rows and whose input `inSize`,
 * a multiple of `stride`. Input row `i = m·s + ρ` met output row `o` through tap `k` where
 * `o·s + k = i + padBefore`: `k = tap + j·s` and `o = m + carry − j` for `carry = ⌊(ρ + padBefore)/s⌋`.
 */
export function phaseAxis(phase: number, stride: number, padBefore: number, filter: number, outSize: number, inSize: number): PhaseAxis {
  const tap = (phase + padBefore) % stride;
  const carry = Math.floor((phase + padBefore) / stride);
  const taps = tap < filter ? Math.ceil((filter - tap) / stride) : 0;
  return { tap, taps, before: taps - 1 - carry, after: inSize / stride + carry - outSize };
}

/** Whether {@link subPixelInputGradient} applies: a stride above 1, no dilation, and input sides that the strides divide. */
export function subPixelApplies(g: ConvGeometry): boolean {
  return (
    (g.strideHeight > 1 || g.strideWidth > 1) &&
    g.dilationHeight === 1 &&
    g.dilationWidth === 1 &&
    g.inHeight % g.strideHeight === 0 &&
    g.inWidth % g.strideWidth === 0
  );
}

/**
 * The input gradient of a strided convolution as `s_h·s_w` stride-1 convolutions of the output
 * gradient, one per phase of input pixels, each with the filter taps that reach that phase (the
 * sub-pixel decomposition), interleaved at the end. Zero-upsampling the output gradient instead
 * multiplies by zero in all but one of every `s_h·s_w` positions: a 3x3 stride-2 input gradient does
 * 4x the multiply-adds. `filter` is `[KH, KW, Cin, Cout]`; each phase convolves with its taps
 * flipped and in/out swapped, `[Jh, Jw, Cout, Cin]`.
 */
export function subPixelInputGradient(calls: WasmKernelCalls, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const heap = calls.backend as unknown as WasmHeapBackend;
  const [sh, sw] = [g.strideHeight, g.strideWidth];
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const [mh, mw] = [g.inHeight / sh, g.inWidth / sw];
  const phases: [PhaseAxis, PhaseAxis][] = [];
  for (let rh = 0; rh < sh; rh++) {
    for (let rw = 0; rw < sw; rw++) {
      phases.push([phaseAxis(rh, sh, g.padTop, kh, g.outHeight, g.inHeight), phaseAxis(rw, sw, g.padLeft, kw, g.outWidth, g.inWidth)]);
    }
  }
  // Every phase's filter allocated before any view is taken: an allocation can grow the heap.
  const filters = phases.map(([h, w]) =>
    h.taps && w.taps ? calls.track(heap.makeOutput([h.taps, w.taps, cout, cin], 'float32')) : undefined,
  );
  const weights = heap.typedArrayFromHeap(filter) as Float32Array;
  phases.forEach(([h, w], p) => {
    const sub = filters[p];
    if (!sub) return;
    const out = heap.typedArrayFromHeap(sub) as Float32Array;
    let at = 0;
    for (let th = 0; th < h.taps; th++) {
      for (let tw = 0; tw < w.taps; tw++) {
        // The correlation meets the farthest tap first.
        const row = h.tap + (h.taps - 1 - th) * sh;
        const col = w.tap + (w.taps - 1 - tw) * sw;
        const base = (row * kw + col) * cin * cout;
        for (let co = 0; co < cout; co++) for (let ci = 0; ci < cin; ci++) out[at++] = weights[base + ci * cout + co] as number;
      }
    }
  });
  const parts = phases.map(([h, w], p) => {
    const sub = filters[p];
    if (!sub) {
      const zeros = calls.track(heap.makeOutput([1, g.batch * mh * mw * cin], 'float32'));
      heap.typedArrayFromHeap(zeros).fill(0);
      return zeros;
    }
    const amounts: [number, number][] = [
      [0, 0],
      [h.before, h.after],
      [w.before, w.after],
      [0, 0],
    ];
    const cropped = calls.padOrCrop(
      dy,
      amounts.map(([before, after]) => [Math.min(0, before), Math.min(0, after)]),
    );
    const pad = amounts.map(([before, after]) => [Math.max(0, before), Math.max(0, after)] as [number, number]);
    const part = calls.run('Conv2D', { x: cropped, filter: sub }, { strides: 1, dilations: 1, pad, dataFormat: 'NHWC' });
    return calls.reshape(part, [1, g.batch * mh * mw * cin]);
  });
  const stacked = parts.length === 1 ? (parts[0] as tf.TensorInfo) : calls.run('Concat', parts, { axis: 0 });
  // [sh, sw, N·Mh, Mw, C] to [N·Mh, sh, Mw, sw, C] in two transposes of rank 4 and 3: tfjs-backend-wasm
  // runs transposes above rank 4 element by element (122 ms against 1.1 ms for 64x16x16x16 by 2x2 phases).
  const columnsInterleaved = calls.transpose(calls.reshape(stacked, [sh, sw, g.batch * mh * mw, cin]), [0, 2, 1, 3]);
  const rowsInterleaved = calls.transpose(calls.reshape(columnsInterleaved, [sh, g.batch * mh, mw * sw * cin]), [1, 0, 2]);
  return calls.reshape(rowsInterleaved, [g.batch, g.inHeight, g.inWidth, cin]);
}
