import { backend_util } from '@tensorflow/tfjs-core';
import { createRng } from '../../src/rng.js';

/** A convolution case: shapes and the forward attributes whose gradients are checked. */
export interface ConvCase {
  x: [number, number, number, number];
  /** `[KH, KW, Cin, Cout]`, or `[KH, KW, C, multiplier]` when depthwise. */
  filter: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
  depthwise: boolean;
}

/** Output shape of the forward convolution, by tfjs's own padding rules. */
export function outputShape(c: ConvCase): [number, number, number, number] {
  return backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, undefined, c.depthwise).outShape as [
    number,
    number,
    number,
    number,
  ];
}

/**
 * Both gradients of a (depthwise) 2-D convolution by direct loops in float64: every output element's
 * window is visited explicitly, so nothing here shares structure with the kernels under test.
 */
export function convGradientsFloat64(
  c: ConvCase,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  dy: ArrayLike<number>,
): { dx: Float64Array; dw: Float64Array } {
  const info = backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, undefined, c.depthwise);
  const [n, h, wd, cin] = c.x;
  const [kh, kw, , k3] = c.filter;
  const [, oh, ow, cout] = info.outShape;
  const dx = new Float64Array(n * h * wd * cin);
  const dw = new Float64Array(kh * kw * cin * k3);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let o = 0; o < cout; o++) {
          const g = dy[((b * oh + i) * ow + j) * cout + o] as number;
          for (let p = 0; p < kh; p++) {
            const r = i * info.strideHeight - info.padInfo.top + p * info.dilationHeight;
            if (r < 0 || r >= h) continue;
            for (let q = 0; q < kw; q++) {
              const s = j * info.strideWidth - info.padInfo.left + q * info.dilationWidth;
              if (s < 0 || s >= wd) continue;
              const inputs = c.depthwise ? [Math.floor(o / k3)] : Array.from({ length: cin }, (_, ci) => ci);
              for (const ci of inputs) {
                const xi = ((b * h + r) * wd + s) * cin + ci;
                const wi = c.depthwise ? ((p * kw + q) * cin + ci) * k3 + (o % k3) : ((p * kw + q) * cin + ci) * k3 + o;
                dx[xi] = (dx[xi] as number) + (w[wi] as number) * g;
                dw[wi] = (dw[wi] as number) + (x[xi] as number) * g;
              }
            }
          }
        }
      }
    }
  }
  return { dx, dw };
}

/** Float64 normal samples from a seeded generator. */
export function normals(next: () => number, count: number): Float64Array {
  return Float64Array.from({ length: count }, next);
}

/** A case's input, filter and output gradient as standard normals drawn in that order from one seeded stream. */
export function randomConvOperands(
  c: ConvCase,
  seed: number,
): { x: Float64Array; w: Float64Array; dy: Float64Array; dyShape: [number, number, number, number] } {
  const rng = createRng(seed);
  const next = () => rng.normal();
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const dyShape = outputShape(c);
  const x = normals(next, size(c.x));
  const w = normals(next, size(c.filter));
  return { x, w, dy: normals(next, size(dyShape)), dyShape };
}
