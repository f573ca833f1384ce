/** Geometry of a 2-D convolution for cost formulas. */
export interface ConvCostGeometry {
  outHeight: number;
  outWidth: number;
  kernelHeight: number;
  kernelWidth: number;
  inChannels: number;
  outChannels: number;
  /** Channel groups (1 = standard, inChannels = depthwise). */
  groups?: number;
  useBias?: boolean;
}

/** Weights of a (grouped) convolution: `kh * kw * cin/groups * cout` plus `cout` biases. */
export function convParams(g: ConvCostGeometry): number {
  const groups = g.groups ?? 1;
  return g.kernelHeight * g.kernelWidth * (g.inChannels / groups) * g.outChannels + (g.useBias === false ? 0 : g.outChannels);
}

/** Multiply–accumulates of a (grouped) convolution: `oh * ow * cout * kh * kw * cin/groups` (bias adds not counted). */
export function convMacs(g: ConvCostGeometry): number {
  const groups = g.groups ?? 1;
  return g.outHeight * g.outWidth * g.outChannels * g.kernelHeight * g.kernelWidth * (g.inChannels / groups);
}

/** Weights of a dense layer: `in * out` plus `out` biases. */
export function denseParams(inUnits: number, outUnits: number, useBias = true): number {
  return inUnits * outUnits + (useBias ? outUnits : 0);
}

/** Multiply–accumulates of a dense layer applied to `positions` vectors: `positions * in * out`. */
export function denseMacs(inUnits: number, outUnits: number, positions = 1): number {
  return positions * inUnits * outUnits;
}

/**
 * Cost of a depthwise-separable convolution relative to a standard one with the same input,
 * output channels `N` and kernel `K`: `1/N + 1/K^2` (Howard et al., 2017, MobileNets §3.1).
 */
export function depthwiseSeparableCostRatio(outChannels: number, kernel: number): number {
  return 1 / outChannels + 1 / (kernel * kernel);
}

/**
 * Parameters of a fully-connected layer mapping an `h x w x cin` map to an `h x w x cout` map,
 * divided by those of a `k x k` convolution doing the same mapping (biases excluded):
 * `(h*w)^2 / k^2`. This is the weight-sharing saving that makes convolution practical.
 */
export function fullyConnectedVsConvParamRatio(height: number, width: number, kernel: number): number {
  return (height * width) ** 2 / (kernel * kernel);
}
