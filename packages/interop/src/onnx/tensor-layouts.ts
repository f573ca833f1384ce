/** Reorders a row-major tensor of `shape` by `perm` (as numpy's transpose), returning the new values. */
export function permute(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p] as number);
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = (strides[i + 1] as number) * (shape[i + 1] as number);
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let axis = 0; axis < rank; axis++) source += (index[axis] as number) * (strides[perm[axis] as number] as number);
    out[o] = values[source] as number;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (outShape[axis] as number)) break;
      index[axis] = 0;
    }
  }
  return out;
}

/** A tfjs HWIO kernel `[kh, kw, in/g, out]` as ONNX's OIHW `[out, in/g, kh, kw]`. */
export function kernelToOihw(values: Float32Array, shape: number[]): { dims: number[]; values: Float32Array } {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  return { dims: [cout, cin, kh, kw], values: permute(values, shape, [3, 2, 0, 1]) };
}

/** A tfjs depthwise kernel `[kh, kw, C, m]` as ONNX's grouped `[C*m, 1, kh, kw]` (group C). */
export function depthwiseToOihw(values: Float32Array, shape: number[]): { dims: number[]; values: Float32Array } {
  const [kh, kw, channels, multiplier] = shape as [number, number, number, number];
  return { dims: [channels * multiplier, 1, kh, kw], values: permute(values, shape, [2, 3, 0, 1]) };
}
