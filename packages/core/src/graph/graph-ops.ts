import { ConvkitError } from '../errors.js';
import type { Tape } from './tape.js';
import { type AttrValue, attr, output, type TfGraph } from './tf-graph.js';

const NHWC = { data_format: attr.string('NHWC') };

/** `[[top, bottom], [left, right]]` zeros of a window op. */
export type SpatialPads = [[number, number], [number, number]];

/** Geometry of a 2-D window op (convolution or pooling). */
export interface WindowGeometry {
  kernel: [number, number];
  strides: [number, number];
  dilations?: [number, number];
  /** Explicit pads; TensorFlow's own `SAME`/`VALID` is used when they equal one of them. */
  pads: SpatialPads;
  /** The input's spatial size, to recognise `SAME`. */
  size: [number, number];
}

function tfSamePads(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** TensorFlow's name for `geometry`'s padding: `VALID`, `SAME` or, for any other pads, `EXPLICIT`. */
function paddingKind(geometry: WindowGeometry): 'VALID' | 'SAME' | 'EXPLICIT' {
  const { pads, size, kernel, strides } = geometry;
  const dilations = geometry.dilations ?? [1, 1];
  if (pads.flat().every((p) => p === 0)) return 'VALID';
  const same = [0, 1].map((a) => tfSamePads(size[a] as number, kernel[a] as number, strides[a] as number, dilations[a] as number));
  return same.every((s, a) => s[0] === pads[a]?.[0] && s[1] === pads[a]?.[1]) ? 'SAME' : 'EXPLICIT';
}

/** The padding attrs TensorFlow takes for `geometry`: `VALID`, `SAME` or `EXPLICIT` with its list. */
function paddingAttrs(geometry: WindowGeometry, explicitAllowed: boolean, what: string): Record<string, ReturnType<typeof attr.string>> {
  const kind = paddingKind(geometry);
  if (kind !== 'EXPLICIT') return { padding: attr.string(kind) };
  const { pads } = geometry;
  if (!explicitAllowed) {
    throw new ConvkitError(
      'graph-unsupported',
      `${what} pads ${JSON.stringify(pads)}, which TensorFlow's pooling cannot express (only SAME or VALID); train it on the eager engine (--engine eager)`,
    );
  }
  const [[t, b], [l, r]] = pads;
  return { padding: attr.string('EXPLICIT'), explicit_paddings: attr.ints([0, 0, t, b, l, r, 0, 0]) };
}

/** The attributes Conv2D and DepthwiseConv2dNative share (and their gradients): NHWC strides, dilations, padding. */
function convolutionAttrs(T: Record<'T', AttrValue>, geometry: WindowGeometry, name: string) {
  const [sh, sw] = geometry.strides;
  const [dh, dw] = geometry.dilations ?? [1, 1];
  return {
    ...T,
    ...NHWC,
    strides: attr.ints([1, sh, sw, 1]),
    dilations: attr.ints([1, dh, dw, 1]),
    ...paddingAttrs(geometry, true, name),
  };
}

/** Activations with a TensorFlow op and gradient op. */
export const GRAPH_ACTIVATIONS = ['linear', 'relu', 'relu6', 'tanh', 'sigmoid', 'elu'] as const;
/** One of {@link GRAPH_ACTIVATIONS}. */
export type GraphActivation = (typeof GRAPH_ACTIVATIONS)[number];

/** The dtypes the graph engine computes in: float32, or bfloat16 under mixed precision. */
export type ComputeDType = 'float32' | 'bfloat16';

/**
 * The differentiable ops the lowerings build models from: each emits the forward TensorFlow op and
 * records, on the tape, the gradient ops TensorFlow itself registers for it (Conv2DBackpropInput and
 * Conv2DBackpropFilter for Conv2D, FusedBatchNormGradV3, ReluGrad, AvgPoolGrad, ...). NHWC.
 *
 * Activations are in the compute dtype `dtype`; weights stay float32 (the master copy) and each op
 * casts the ones it multiplies by to `dtype` where it uses them, so under bfloat16 their gradients
 * come back through the casts' own gradients as float32. Batch norm keeps its scale, offset and
 * statistics in float32 (FusedBatchNormV3's `U`), as Keras's mixed precision does.
 */
export class GraphOps {
  /** The compute dtype as the `T` attribute of an op. */
  readonly T: { T: AttrValue };
  // Tensors of a bfloat16 graph that are float32: the weights and what leaves it through `toFloat32`.
  private readonly float32Tensors = new Set<string>();

  // The uint8 layout marker oneDNN's layout-dependent kernels take beside each input, made once.
  private plainLayout: string | undefined;
  // Outputs of `add`: the ReLUs of these have no producer for grappler to fuse them into.
  private readonly sums = new Set<string>();

  /**
   * `oneDnnGradients` writes ReLU's gradient as oneDNN's layout-dependent `_MklReluGrad` instead of
   * Eigen's ReluGrad, and the ReLU of a sum (a residual add) as `_MklRelu` instead of Eigen's Relu;
   * only libtensorflow builds with oneDNN (x86 CPU) register them (`oneDnnGradientsRegistered` tells).
   */
  constructor(
    readonly graph: TfGraph,
    readonly tape: Tape,
    readonly dtype: ComputeDType = 'float32',
    readonly oneDnnGradients = false,
  ) {
    this.T = { T: attr.type(dtype) };
  }

  /** The dtype of a tensor this class made or was given: what the tape sums its gradients in. */
  dtypeOf(tensor: string): ComputeDType {
    return this.float32Tensors.has(tensor) ? 'float32' : this.dtype;
  }

  /** A scalar constant in the compute dtype. */
  scalar(value: number, name = 'scalar'): string {
    const single = this.graph.scalar(value, name);
    return this.dtype === 'float32' ? single : this.cast(single, 'float32', this.dtype, `${name}/cast`);
  }

  private cast(x: string, from: ComputeDType, to: ComputeDType, name: string): string {
    return this.graph.op('Cast', [x], { SrcT: attr.type(from), DstT: attr.type(to), Truncate: attr.bool(false) }, { name });
  }

  /** A float32 tensor (an image batch, a weight) in the compute dtype, its gradient cast back to float32. */
  toCompute(x: string, name: string): string {
    this.float32Tensors.add(x);
    if (this.dtype === 'float32') return x;
    const y = this.cast(x, 'float32', this.dtype, name);
    this.tape.record([x], [y], ([dy]) => [this.cast(dy as string, this.dtype, 'float32', `${name}/grad`)]);
    return y;
  }

  /** A compute-dtype tensor (the logits) as float32, for the loss; its gradient is cast back. */
  toFloat32(x: string, name: string): string {
    if (this.dtype === 'float32') return x;
    const y = this.cast(x, this.dtype, 'float32', name);
    this.float32Tensors.add(y);
    this.tape.record([x], [y], ([dy]) => [this.cast(dy as string, 'float32', this.dtype, `${name}/grad`)]);
    return y;
  }

  private shapeOf(x: string, dtype: ComputeDType = this.dtype): string {
    return this.graph.op('Shape', [x], { T: attr.type(dtype), out_type: attr.type('int32') }, { name: 'grad/shape' });
  }

  /** Conv2D with kernel `w` of shape `wShape` (HWIO). */
  conv2d(input: string, weight: string, wShape: readonly number[], window: WindowGeometry, name: string): string {
    const { x, geometry } = this.oneDnnWindow(input, window, wShape, name);
    const [sh, sw] = geometry.strides;
    const attrs = convolutionAttrs(this.T, geometry, name);
    const w = this.toCompute(weight, `${name}/kernel`);
    const y = this.graph.op('Conv2D', [x, w], attrs, { name });
    const pointwiseStrided = wShape[0] === 1 && wShape[1] === 1 && (sh > 1 || sw > 1) && geometry.pads.flat().every((p) => p === 0);
    this.tape.record([x, w], [y], ([dy]) => {
      const g = dy as string;
      const dx = this.graph.op('Conv2DBackpropInput', [this.shapeOf(x), w, g], attrs, { name: `${name}/grad/input` });
      const dk = pointwiseStrided
        ? this.pointwiseFilterGradient(x, g, [sh, sw], wShape, `${name}/grad/filter`)
        : this.graph.op('Conv2DBackpropFilter', [x, this.graph.ints([...wShape]), g], attrs, { name: `${name}/grad/filter` });
      return [dx, dk];
    });
    return y;
  }

  // Two convolutions are rewritten to ones libtensorflow 2.9.1's oneDNN kernels run well. EXPLICIT
  // padding (PyTorch's symmetric pads where TensorFlow's SAME would pad after only) becomes a Pad and
  // a VALID convolution: oneDNN does not take EXPLICIT gradients, which then run on Eigen's kernels at
  // about half the speed in float32 and give no filter gradient at all in bfloat16. In bfloat16 an
  // unpadded 1x1 convolution with a stride, whose gradients turn NaN at some batch sizes, becomes a
  // subsample and a stride-1 convolution.
  private oneDnnWindow(
    x: string,
    geometry: WindowGeometry,
    kernel: readonly number[],
    name: string,
  ): { x: string; geometry: WindowGeometry } {
    const { pads, size, strides } = geometry;
    if (paddingKind(geometry) === 'EXPLICIT') {
      const padded = this.pad(x, [[0, 0], ...pads, [0, 0]], [null, size[0], size[1], kernel[2] as number], `${name}/pad`);
      const grown: [number, number] = [size[0] + pads[0][0] + pads[0][1], size[1] + pads[1][0] + pads[1][1]];
      return {
        x: padded,
        geometry: {
          ...geometry,
          size: grown,
          pads: [
            [0, 0],
            [0, 0],
          ],
        },
      };
    }
    if (this.dtype === 'float32') return { x, geometry };
    const pointwise = kernel[0] === 1 && kernel[1] === 1 && paddingKind(geometry) === 'VALID';
    if (!pointwise || strides[0] !== strides[1] || strides[0] === 1) return { x, geometry };
    const sampled = this.subsample(x, strides[0], `${name}/subsample`);
    const sampledSize = size.map((n) => Math.ceil(n / strides[0])) as [number, number];
    return { x: sampled, geometry: { ...geometry, size: sampledSize, strides: [1, 1] } };
  }

  // libtensorflow 2.9.1's oneDNN Conv2DBackpropFilter corrupts the heap for a 1x1 filter with stride > 1
  // at odd batch sizes (the eager engine avoids it the same way): the filter gradient of an unpadded
  // 1x1 convolution is subsample(x)^T dy, one MatMul.
  private pointwiseFilterGradient(x: string, dy: string, strides: [number, number], wShape: readonly number[], name: string): string {
    const [cin, cout] = [wShape[2] as number, wShape[3] as number];
    const sampled = this.everyStride(x, strides, `${name}/subsample`).y;
    const rows = (t: string, columns: number) =>
      this.graph.op('Reshape', [t, this.graph.ints([-1, columns])], { ...this.T, Tshape: attr.type('int32') });
    const product = this.graph.op('MatMul', [rows(sampled, cin), rows(dy, cout)], { ...this.T, transpose_a: attr.bool(true) });
    return this.graph.op('Reshape', [product, this.graph.ints([...wShape])], { ...this.T, Tshape: attr.type('int32') }, { name });
  }

  /**
   * Depthwise convolution (DepthwiseConv2dNative) with kernel `w` of shape `wShape` ([kh, kw, channels,
   * multiplier]). Always float32: libtensorflow 2.9.1 has no bfloat16 CPU kernel for its gradients,
   * so a bfloat16 graph casts around it.
   */
  depthwiseConv2d(input: string, w: string, wShape: readonly number[], geometry: WindowGeometry, name: string): string {
    const attrs = convolutionAttrs({ T: attr.type('float32') }, geometry, name);
    const x = this.toFloat32(input, `${name}/input`);
    const y = this.graph.op('DepthwiseConv2dNative', [x, w], attrs, { name });
    this.tape.record([x, w], [y], ([dy]) => {
      const g = dy as string;
      return [
        this.graph.op('DepthwiseConv2dNativeBackpropInput', [this.shapeOf(x, 'float32'), w, g], attrs, { name: `${name}/grad/input` }),
        this.graph.op('DepthwiseConv2dNativeBackpropFilter', [x, this.graph.ints([...wShape]), g], attrs, { name: `${name}/grad/filter` }),
      ];
    });
    return this.toCompute(y, `${name}/compute`);
  }

  /** Adds bias `b` along the channel axis. */
  biasAdd(x: string, bias: string, name: string): string {
    const b = this.toCompute(bias, `${name}/cast`);
    const y = this.graph.op('BiasAdd', [x, b], { ...this.T, ...NHWC }, { name });
    this.tape.record([x, b], [y], ([dy]) => [
      dy,
      this.graph.op('BiasAddGrad', [dy as string], { ...this.T, ...NHWC }, { name: `${name}/grad` }),
    ]);
    return y;
  }

  /** `x w` for `x` [N, in] and `w` [in, out]. */
  matMul(x: string, weight: string, name: string): string {
    const w = this.toCompute(weight, `${name}/kernel`);
    const y = this.graph.op('MatMul', [x, w], this.T, { name });
    this.tape.record([x, w], [y], ([dy]) => [
      this.graph.op('MatMul', [dy as string, w], { ...this.T, transpose_b: attr.bool(true) }, { name: `${name}/grad/input` }),
      this.graph.op('MatMul', [x, dy as string], { ...this.T, transpose_a: attr.bool(true) }, { name: `${name}/grad/weight` }),
    ]);
    return y;
  }

  /** An activation and its gradient op (TF's ReluGrad, TanhGrad, ... on the op's input or output). */
  activation(x: string, kind: GraphActivation, name: string): string {
    if (kind === 'linear') return x;
    const op = { relu: 'Relu', relu6: 'Relu6', tanh: 'Tanh', sigmoid: 'Sigmoid', elu: 'Elu' }[kind];
    const y = kind === 'relu' && this.sums.has(x) ? this.sumRelu(x, name) : this.graph.op(op, [x], this.T, { name });
    this.tape.record([x], [y], ([dy]) => {
      const g = dy as string;
      const gradName = `${name}/grad`;
      switch (kind) {
        case 'relu':
          return [this.reluGrad(g, y, gradName)];
        case 'relu6':
          return [this.relu6Grad(g, x, gradName)];
        case 'elu':
          return [this.graph.op('EluGrad', [g, y], this.T, { name: gradName })];
        default:
          return [this.graph.op(kind === 'tanh' ? 'TanhGrad' : 'SigmoidGrad', [y, g], this.T, { name: gradName })];
      }
    });
    return y;
  }

  // Eigen's ReluGrad on libtensorflow 2.9.1 is about twice as slow as oneDNN's eltwise backward
  // (and slower in bfloat16 than in float32), and 2.9.1 rewrites no activation gradient to oneDNN in
  // its native-format mode. The layout-dependent kernel, given the plain-layout marker for both
  // inputs (what TensorFlow's own layout pass feeds it for a tensor of a non-oneDNN op), reads and
  // writes ordinary tensors, bit for bit the same values.
  private reluGrad(dy: string, y: string, name: string): string {
    if (!this.oneDnnGradients) return this.graph.op('ReluGrad', [dy, y], this.T, { name });
    return this.layoutDependent('_MklReluGrad', [dy, y], name);
  }

  // libtensorflow 2.9.1's Relu6Grad runs about 2.7x slower than its ReluGrad; min(x, 6 − x) is
  // positive exactly where 0 < x < 6 (6 − x is exact for x in [3, 6] by Sterbenz's lemma, in float32
  // and bfloat16 alike), so ReLU's gradient of it is ReLU6's, bit for bit.
  private relu6Grad(dy: string, x: string, name: string): string {
    const room = this.graph.op('Sub', [this.scalar(6, `${name}/six`), x], this.T, { name: `${name}/room` });
    const margin = this.graph.op('Minimum', [x, room], this.T, { name: `${name}/margin` });
    return this.reluGrad(dy, margin, name);
  }

  // ReLU after batch norm, a biased convolution or a dense layer is left to grappler, which fuses it
  // into its producer; after a residual add nothing fuses it, and Eigen's Relu on libtensorflow 2.9.1
  // takes about twice oneDNN's eltwise forward (ResNet-20's nine in bfloat16: 2.3 -> 1.0 ms a step).
  private sumRelu(x: string, name: string): string {
    if (!this.oneDnnGradients) return this.graph.op('Relu', [x], this.T, { name });
    return this.layoutDependent('_MklRelu', [x], name);
  }

  // A oneDNN layout-dependent kernel on plain tensors: each input beside the plain-layout marker.
  private layoutDependent(op: string, inputs: readonly string[], name: string): string {
    this.plainLayout ??= this.graph.bytes(Array(8).fill(0), [8], 'onednn/plain_layout');
    const markers = inputs.map(() => this.plainLayout as string);
    return this.graph.op(op, [...inputs, ...markers], { ...this.T, _kernel: attr.string('MklLayoutDependentOp') }, { name });
  }

  /** Max or average pooling. */
  pool(x: string, kind: 'max' | 'avg', geometry: WindowGeometry, name: string): string {
    const [kh, kw] = geometry.kernel;
    const [sh, sw] = geometry.strides;
    const attrs = {
      ...this.T,
      ...NHWC,
      ksize: attr.ints([1, kh, kw, 1]),
      strides: attr.ints([1, sh, sw, 1]),
      ...paddingAttrs(geometry, false, name),
    };
    const y = this.graph.op(kind === 'max' ? 'MaxPool' : 'AvgPool', [x], attrs, { name });
    this.tape.record([x], [y], ([dy]) => [
      kind === 'max'
        ? this.graph.op('MaxPoolGrad', [x, y, dy as string], attrs, { name: `${name}/grad` })
        : this.graph.op('AvgPoolGrad', [this.shapeOf(x), dy as string], attrs, { name: `${name}/grad` }),
    ]);
    return y;
  }

  /**
   * Batch normalization in training mode (FusedBatchNormV3, batch statistics) and its gradient
   * (FusedBatchNormGradV3). Returns the normalized output, the batch mean and the batch's unbiased
   * (Bessel-corrected) variance, which convkit's eager batch norm also averages (PyTorch's convention).
   */
  batchNormTraining(x: string, gamma: string, beta: string, epsilon: number, name: string): { y: string; mean: string; variance: string } {
    const empty = this.graph.floats([], [0], `${name}/empty`);
    this.float32Tensors.add(gamma).add(beta);
    const attrs = { ...this.T, U: attr.type('float32'), epsilon: attr.float(epsilon), ...NHWC, is_training: attr.bool(true) };
    const bn = this.graph.op(
      'FusedBatchNormV3',
      [x, gamma, beta, empty, empty],
      { ...attrs, exponential_avg_factor: attr.float(1) },
      { name },
    );
    const y = output(bn, 0);
    this.tape.record([x, gamma, beta], [y], ([dy]) => {
      const reserves = [3, 4, 5].map((i) => output(bn, i));
      const grad = this.graph.op('FusedBatchNormGradV3', [dy as string, x, gamma, ...reserves], attrs, { name: `${name}/grad` });
      return [output(grad, 0), output(grad, 1), output(grad, 2)];
    });
    return { y, mean: output(bn, 1), variance: output(bn, 2) };
  }

  /** Batch normalization with given statistics (inference): FusedBatchNormV3 with is_training false. */
  batchNormInference(x: string, gamma: string, beta: string, mean: string, variance: string, epsilon: number, name: string): string {
    const attrs = { ...this.T, U: attr.type('float32'), epsilon: attr.float(epsilon), ...NHWC, is_training: attr.bool(false) };
    return output(this.graph.op('FusedBatchNormV3', [x, gamma, beta, mean, variance], attrs, { name }), 0);
  }

  /** Elementwise sum of same-shaped tensors. */
  add(xs: readonly string[], name: string): string {
    if (xs.length === 1) return xs[0] as string;
    const y = this.graph.op('AddN', xs, { ...this.T, N: attr.int(xs.length) }, { name });
    this.sums.add(y);
    this.tape.record(xs, [y], ([dy]) => xs.map(() => dy));
    return y;
  }

  /**
   * Padding of a 4-D tensor of static spatial/channel sizes `shape` (batch unknown) with `value`
   * (zeros by default; -Infinity before a max pool, where padded positions must never win).
   */
  pad(x: string, paddings: readonly [number, number][], shape: readonly (number | null)[], name: string, value = 0): string {
    const amounts = this.graph.ints(paddings.flat(), [paddings.length, 2]);
    const attrs = { ...this.T, Tpaddings: attr.type('int32') };
    const y =
      value === 0
        ? this.graph.op('Pad', [x, amounts], attrs, { name })
        : this.graph.op('PadV2', [x, amounts, this.scalar(value)], attrs, { name });
    this.tape.record([x], [y], ([dy]) => [
      this.graph.op(
        'Slice',
        [dy as string, this.graph.ints(paddings.map(([before]) => before)), this.graph.ints(shape.map((size) => size ?? -1))],
        { ...this.T, Index: attr.type('int32') },
        { name: `${name}/grad` },
      ),
    ]);
    return y;
  }

  /** `x[:, ::s, ::s, :]`, as an average pool of 1x1 windows, with AvgPoolGrad as its gradient. */
  subsample(x: string, stride: number, name: string): string {
    return stride === 1 ? x : this.sampleEvery(x, [stride, stride], name);
  }

  /** Every `strides`-th row and column of `x`, its gradient spread back (AvgPoolGrad of 1x1 windows). */
  private sampleEvery(x: string, strides: [number, number], name: string): string {
    const { y, attrs } = this.everyStride(x, strides, name);
    this.tape.record([x], [y], ([dy]) => [this.graph.op('AvgPoolGrad', [this.shapeOf(x), dy as string], attrs, { name: `${name}/grad` })]);
    return y;
  }

  // Every stride-th row and column as an average pool of 1x1 windows: exact, and oneDNN's pooling
  // does it in a tenth of the time StridedSlice (and StridedSliceGrad) take on libtensorflow 2.9.1.
  private everyStride(x: string, strides: [number, number], name: string) {
    const attrs = {
      ...this.T,
      ...NHWC,
      ksize: attr.ints([1, 1, 1, 1]),
      strides: attr.ints([1, strides[0], strides[1], 1]),
      padding: attr.string('VALID'),
    };
    return { y: this.graph.op('AvgPool', [x], attrs, { name }), attrs };
  }

  /** Concatenation along the last axis of tensors of rank `rank` whose last axes have `sizes`; its gradient slices. */
  concat(xs: readonly string[], sizes: readonly number[], rank: number, name: string): string {
    const y = this.graph.op(
      'ConcatV2',
      [...xs, this.graph.ints([rank - 1], [])],
      { ...this.T, N: attr.int(xs.length), Tidx: attr.type('int32') },
      { name },
    );
    this.tape.record(xs, [y], ([dy]) => {
      let offset = 0;
      return sizes.map((size, i) => {
        const begin = [...Array(rank - 1).fill(0), offset];
        offset += size;
        return this.graph.op(
          'Slice',
          [dy as string, this.graph.ints(begin), this.graph.ints([...Array(rank - 1).fill(-1), size])],
          { ...this.T, Index: attr.type('int32') },
          { name: `${name}/grad/${i}` },
        );
      });
    });
    return y;
  }

  /**
   * Inverted dropout: keeps each element with probability `1 - rate` (a stateless uniform draw from
   * `seed`, an int32 pair) and scales what it keeps by `1 / (1 - rate)`; the gradient takes the same mask.
   */
  dropout(x: string, rate: number, seed: string, name: string): string {
    const uniform = this.graph.op(
      'StatelessRandomUniform',
      [this.shapeOf(x), seed],
      { dtype: attr.type('float32'), T: attr.type('int32'), Tseed: attr.type('int32') },
      { name: `${name}/uniform` },
    );
    const kept = this.graph.op('Cast', [this.graph.op('GreaterEqual', [uniform, this.graph.scalar(rate)], { T: attr.type('float32') })], {
      SrcT: attr.type('bool'),
      DstT: attr.type(this.dtype),
    });
    const mask = this.graph.op('Mul', [kept, this.scalar(1 / (1 - rate))], this.T, { name: `${name}/mask` });
    const y = this.graph.op('Mul', [x, mask], this.T, { name });
    this.tape.record([x], [y], ([dy]) => [this.graph.op('Mul', [dy as string, mask], this.T, { name: `${name}/grad` })]);
    return y;
  }

  /**
   * Drop-path: keeps each example (batch entry) of `x`, of rank `rank`, whole with probability
   * `1 - rate` (one stateless uniform draw per example from `seed`) and scales the kept ones by
   * `1 / (1 - rate)`; the gradient takes the same mask. `rate` is a float32 scalar tensor, so a
   * schedule can change it between steps without recompiling.
   */
  dropExamples(x: string, rate: string, seed: string, rank: number, name: string): string {
    const F = { T: attr.type('float32') };
    const batch = this.graph.op(
      'Slice',
      [this.shapeOf(x), this.graph.ints([0]), this.graph.ints([1])],
      { T: attr.type('int32'), Index: attr.type('int32') },
      { name: `${name}/batch` },
    );
    const noiseShape = this.graph.op(
      'ConcatV2',
      [batch, this.graph.ints(Array(rank - 1).fill(1)), this.graph.ints([0], [])],
      { T: attr.type('int32'), N: attr.int(2), Tidx: attr.type('int32') },
      { name: `${name}/noise_shape` },
    );
    const uniform = this.graph.op(
      'StatelessRandomUniform',
      [noiseShape, seed],
      { dtype: attr.type('float32'), T: attr.type('int32'), Tseed: attr.type('int32') },
      { name: `${name}/uniform` },
    );
    const kept = this.graph.op('Cast', [this.graph.op('GreaterEqual', [uniform, rate], F)], {
      SrcT: attr.type('bool'),
      DstT: attr.type('float32'),
    });
    const keep = this.graph.op('Sub', [this.graph.scalar(1), rate], F, { name: `${name}/keep` });
    const scaled = this.graph.op('RealDiv', [kept, keep], F, { name: `${name}/mask` });
    const mask = this.dtype === 'float32' ? scaled : this.cast(scaled, 'float32', this.dtype, `${name}/mask/cast`);
    const y = this.graph.op('Mul', [x, mask], this.T, { name });
    this.tape.record([x], [y], ([dy]) => [this.graph.op('Mul', [dy as string, mask], this.T, { name: `${name}/grad` })]);
    return y;
  }

  /**
   * Local response normalization across channels (TensorFlow's LRN: `x / (bias + alpha * sum of
   * squares over channels c - depthRadius .. c + depthRadius) ^ beta`) and its gradient (LRNGrad).
   * Always float32: libtensorflow 2.9.1 registers no bfloat16 CPU kernel for LRN, so a bfloat16
   * graph casts around it, as around {@link GraphOps.depthwiseConv2d}.
   */
  localResponseNorm(input: string, params: { depthRadius: number; bias: number; alpha: number; beta: number }, name: string): string {
    const attrs = {
      T: attr.type('float32'),
      depth_radius: attr.int(params.depthRadius),
      bias: attr.float(params.bias),
      alpha: attr.float(params.alpha),
      beta: attr.float(params.beta),
    };
    const x = this.toFloat32(input, `${name}/input`);
    const y = this.graph.op('LRN', [x], attrs, { name });
    this.tape.record([x], [y], ([dy]) => [this.graph.op('LRNGrad', [dy as string, x, y], attrs, { name: `${name}/grad` })]);
    return this.toCompute(y, `${name}/compute`);
  }

  /**
   * Batched matrix product `a b` (or `a b^T` with `transposeB`) of rank-3 tensors (BatchMatMulV2),
   * with its gradients as two more products: `dA = dC B^T`, `dB = A^T dC` (`dA = dC B`, `dB = dC^T A`
   * for `a b^T`).
   */
  batchMatMul(a: string, b: string, transposeB: boolean, name: string): string {
    const product = (x: string, y: string, adjX: boolean, adjY: boolean, opName: string) =>
      this.graph.op('BatchMatMulV2', [x, y], { ...this.T, adj_x: attr.bool(adjX), adj_y: attr.bool(adjY) }, { name: opName });
    const c = product(a, b, false, transposeB, name);
    this.tape.record([a, b], [c], ([dy]) => {
      const g = dy as string;
      return transposeB
        ? [product(g, b, false, false, `${name}/grad/a`), product(g, a, true, false, `${name}/grad/b`)]
        : [product(g, b, false, true, `${name}/grad/a`), product(a, g, true, false, `${name}/grad/b`)];
    });
    return c;
  }

  /** Softmax over the last axis; its gradient `(dy - sum(dy * y)) * y` (TensorFlow's own rule, as ops). */
  softmax(x: string, name: string): string {
    const y = this.graph.op('Softmax', [x], this.T, { name });
    this.tape.record([x], [y], ([dy]) => {
      const weighted = this.graph.op('Mul', [dy as string, y], this.T);
      const total = this.graph.op('Sum', [weighted, this.graph.ints([-1])], {
        ...this.T,
        Tidx: attr.type('int32'),
        keep_dims: attr.bool(true),
      });
      return [this.graph.op('Mul', [this.graph.op('Sub', [dy as string, total], this.T), y], this.T, { name: `${name}/grad` })];
    });
    return y;
  }

  /** `x` times the constant `factor`; the gradient is `dy` times it too. */
  scale(x: string, factor: number, name: string): string {
    const constant = this.scalar(factor, `${name}/factor`);
    const y = this.graph.op('Mul', [x, constant], this.T, { name });
    this.tape.record([x], [y], ([dy]) => [this.graph.op('Mul', [dy as string, constant], this.T, { name: `${name}/grad` })]);
    return y;
  }

  /**
   * `x` times `factors`, a float32 constant broadcast against it (an average pool's per-window divisor
   * map), in the compute dtype; the gradient is `dy` times the same constant.
   */
  scaleBy(x: string, factors: string, name: string): string {
    const constant = this.dtype === 'float32' ? factors : this.cast(factors, 'float32', this.dtype, `${name}/factors`);
    const y = this.graph.op('Mul', [x, constant], this.T, { name });
    this.tape.record([x], [y], ([dy]) => [this.graph.op('Mul', [dy as string, constant], this.T, { name: `${name}/grad` })]);
    return y;
  }

  /** Reshapes to `[-1, size]` (Keras's Flatten). */
  flatten(x: string, size: number, name: string): string {
    const y = this.graph.op('Reshape', [x, this.graph.ints([-1, size])], { ...this.T, Tshape: attr.type('int32') }, { name });
    this.tape.record([x], [y], ([dy]) => [
      this.graph.op('Reshape', [dy as string, this.shapeOf(x)], { ...this.T, Tshape: attr.type('int32') }, { name: `${name}/grad` }),
    ]);
    return y;
  }

  /**
   * Elementwise product of `xs` (static shapes `shapes` of one rank, batch `null`), broadcasting axes
   * of size 1 (`[n, h, w, c]` times `[n, 1, 1, c]` or `[n, h, w, 1]`), as a chain of Muls. Each
   * factor's gradient is `dy` times the other factor, summed over the axes it was broadcast along
   * (TensorFlow's BroadcastGradientArgs and Sum), so it keeps the factor's shape.
   */
  multiply(xs: readonly string[], shapes: readonly (readonly (number | null)[])[], name: string): string {
    let y = xs[0] as string;
    let shape = shapes[0] as readonly (number | null)[];
    for (let i = 1; i < xs.length; i++) {
      const [a, b, aShape, bShape] = [y, xs[i] as string, shape, shapes[i] as readonly (number | null)[]];
      const outShape = broadcastShape(aShape, bShape, name);
      y = this.graph.op('Mul', [a, b], this.T, { name: i === xs.length - 1 ? name : `${name}/${i}` });
      this.tape.record([a, b], [y], ([dy]) => [
        this.sumToShape(this.graph.op('Mul', [dy as string, b], this.T), outShape, aShape, `${name}/grad/${i - 1}`),
        this.sumToShape(this.graph.op('Mul', [dy as string, a], this.T), outShape, bShape, `${name}/grad/${i}`),
      ]);
      shape = outShape;
    }
    return y;
  }

  /**
   * The maximum or the mean of `x` (static shape `shape`, batch `null`) over `axes`. The maximum's
   * gradient is tfjs's rule, which the eager engine runs: `dy` to every element equal to the maximum,
   * ties included (TensorFlow's own `_MaxGrad` would divide it among the tied elements). The mean's
   * spreads `dy / count` over the reduced axes.
   */
  reduce(
    kind: 'max' | 'mean',
    x: string,
    axes: readonly number[],
    shape: readonly (number | null)[],
    keepDims: boolean,
    name: string,
  ): string {
    const attrs = { ...this.T, Tidx: attr.type('int32'), keep_dims: attr.bool(keepDims) };
    const y = this.graph.op(kind === 'max' ? 'Max' : 'Mean', [x, this.graph.ints(axes)], attrs, { name });
    const kept = shape.map((size, a) => (axes.includes(a) ? 1 : (size ?? -1)));
    const withKeptAxes = (t: string) =>
      keepDims ? t : this.graph.op('Reshape', [t, this.graph.ints(kept)], { ...this.T, Tshape: attr.type('int32') });
    this.tape.record([x], [y], ([dy]) => {
      const g = withKeptAxes(dy as string);
      if (kind === 'max') {
        const winners = this.graph.op('Cast', [this.graph.op('Equal', [x, withKeptAxes(y)], this.T)], {
          SrcT: attr.type('bool'),
          DstT: attr.type(this.dtype),
        });
        return [this.graph.op('Mul', [g, winners], this.T, { name: `${name}/grad` })];
      }
      const count = axes.reduce((n, a) => n * (shape[a] as number), 1);
      const spread = this.graph.op('BroadcastTo', [g, this.shapeOf(x)], { ...this.T, Tidx: attr.type('int32') });
      return [this.graph.op('Mul', [spread, this.scalar(1 / count)], this.T, { name: `${name}/grad` })];
    });
    return y;
  }

  /**
   * `x` (NHWC, spatial size `size`) without `crops` (`[[top, bottom], [left, right]]` rows and
   * columns) at its borders: a Slice, whose gradient pads `dy` back with zeros.
   */
  crop(x: string, crops: SpatialPads, size: [number, number], name: string): string {
    const [[t, b], [l, r]] = crops;
    const y = this.graph.op(
      'Slice',
      [x, this.graph.ints([0, t, l, 0]), this.graph.ints([-1, size[0] - t - b, size[1] - l - r, -1])],
      { ...this.T, Index: attr.type('int32') },
      { name },
    );
    const amounts = this.graph.ints([0, 0, t, b, l, r, 0, 0], [4, 2]);
    this.tape.record([x], [y], ([dy]) => [
      this.graph.op('Pad', [dy as string, amounts], { ...this.T, Tpaddings: attr.type('int32') }, { name: `${name}/grad` }),
    ]);
    return y;
  }

  /**
   * `x` reshaped to `shape` (one entry may be -1); the gradient is reshaped back to `x`'s shape.
   * `dtype` is `x`'s: `'float32'` for a weight (its master copy) in a bfloat16 graph.
   */
  reshape(x: string, shape: readonly number[], name: string, dtype: ComputeDType = this.dtype): string {
    const attrs = { T: attr.type(dtype), Tshape: attr.type('int32') };
    const y = this.produced(this.graph.op('Reshape', [x, this.graph.ints(shape)], attrs, { name }), dtype);
    this.tape.record([x], [y], ([dy]) => [
      this.graph.op('Reshape', [dy as string, this.shapeOf(x, dtype)], attrs, { name: `${name}/grad` }),
    ]);
    return y;
  }

  /**
   * `x` split into `parts` equal slices along `axis` (Split); the gradient concatenates the slices'
   * gradients. `dtype` is `x`'s, as for {@link GraphOps.reshape}.
   */
  split(x: string, parts: number, axis: number, name: string, dtype: ComputeDType = this.dtype): string[] {
    const T = { T: attr.type(dtype) };
    const node = this.graph.op('Split', [this.graph.ints([axis], []), x], { ...T, num_split: attr.int(parts) }, { name });
    const ys = Array.from({ length: parts }, (_, i) => this.produced(output(node, i), dtype));
    this.tape.record([x], ys, (dys) => {
      const slices = dys.map((dy, i) => dy ?? this.graph.op('ZerosLike', [ys[i] as string], T));
      const joined = this.graph.op(
        'ConcatV2',
        [...slices, this.graph.ints([axis], [])],
        { ...T, N: attr.int(slices.length), Tidx: attr.type('int32') },
        { name: `${name}/grad` },
      );
      return [joined];
    });
    return ys;
  }

  /** `tensor`, noted as float32 when `dtype` says so, so the tape sums its gradients in float32. */
  private produced(tensor: string, dtype: ComputeDType): string {
    if (dtype === 'float32') this.float32Tensors.add(tensor);
    return tensor;
  }

  /**
   * A dilated depthwise convolution (`x` of static shape `shape`, batch `null`), at stride 1 as
   * TensorFlow's own `depthwise_conv2d` writes it: the padded input's dilation phases moved into the
   * batch (SpaceToBatchND), an undilated VALID depthwise convolution, and the phases moved back
   * (BatchToSpaceND); each op's gradient is the other. libtensorflow 2.9.1's
   * DepthwiseConv2dNativeBackpropFilter on CPU gives wrong filter gradients for dilations above 1.
   * A strided one (DARTS's dil_conv on a reduction cell's inputs) samples the stride-1 result.
   */
  dilatedDepthwiseConv2d(
    x: string,
    w: string,
    wShape: readonly number[],
    geometry: WindowGeometry,
    shape: readonly (number | null)[],
    name: string,
  ): string {
    const dilations = geometry.dilations ?? [1, 1];
    if (geometry.strides.some((s) => s !== 1)) {
      // Stride s samples every s-th window of the stride-1 convolution over the same padded input
      // (windows start at 0, s, 2s, ... either way): exact, at s^2 times the compute of a strided kernel.
      const dense = this.dilatedDepthwiseConv2d(x, w, wShape, { ...geometry, strides: [1, 1] }, shape, `${name}/stride1`);
      return this.sampleEvery(dense, geometry.strides, name);
    }
    const { pads } = geometry;
    const padded = pads.flat().every((p) => p === 0) ? x : this.pad(x, [[0, 0], ...pads, [0, 0]], [null, ...shape.slice(1)], `${name}/pad`);
    const size = [0, 1].map((a) => (shape[a + 1] as number) + pads[a]![0] + pads[a]![1]);
    const extra = [0, 1].map((a) => (dilations[a]! - (size[a]! % dilations[a]!)) % dilations[a]!);
    const block = this.graph.ints([...dilations]);
    const margins = this.graph.ints([0, extra[0]!, 0, extra[1]!], [2, 2]);
    const indexAttrs = { ...this.T, Tblock_shape: attr.type('int32') };
    const toBatch = (t: string, opName: string) =>
      this.graph.op('SpaceToBatchND', [t, block, margins], { ...indexAttrs, Tpaddings: attr.type('int32') }, { name: opName });
    const toSpace = (t: string, opName: string) =>
      this.graph.op('BatchToSpaceND', [t, block, margins], { ...indexAttrs, Tcrops: attr.type('int32') }, { name: opName });
    const phases = toBatch(padded, `${name}/phases`);
    this.tape.record([padded], [phases], ([dy]) => [toSpace(dy as string, `${name}/phases/grad`)]);
    const phaseSize = [0, 1].map((a) => (size[a]! + extra[a]!) / dilations[a]!) as [number, number];
    const valid: WindowGeometry = {
      kernel: geometry.kernel,
      strides: [1, 1],
      pads: [
        [0, 0],
        [0, 0],
      ],
      size: phaseSize,
    };
    const convolved = this.depthwiseConv2d(phases, w, wShape, valid, `${name}/phase_conv`);
    const y = toSpace(convolved, name);
    this.tape.record([convolved], [y], ([dy]) => [toBatch(dy as string, `${name}/grad`)]);
    return y;
  }

  /** `x` of static shape `from` summed over the axes where `to` is 1 and `from` is not, keeping them. */
  private sumToShape(x: string, from: readonly (number | null)[], to: readonly (number | null)[], name: string): string {
    const axes = to.flatMap((size, a) => (size === 1 && from[a] !== 1 ? [a] : []));
    if (axes.length === 0) return this.graph.op('Identity', [x], this.T, { name });
    return this.graph.op('Sum', [x, this.graph.ints(axes)], { ...this.T, Tidx: attr.type('int32'), keep_dims: attr.bool(true) }, { name });
  }
}

/** The shape `a` and `b` broadcast to (NumPy's rule on equal ranks); any other pair is a one-line refusal. */
function broadcastShape(a: readonly (number | null)[], b: readonly (number | null)[], name: string): (number | null)[] {
  const fits = a.length === b.length && a.every((size, i) => size === b[i] || size === 1 || b[i] === 1);
  if (!fits) {
    throw new ConvkitError(
      'graph-unsupported',
      `layer ${name} multiplies shapes ${JSON.stringify(a)} and ${JSON.stringify(b)}, which the graph engine does not broadcast (it lowers equal ranks with axes of size 1); train it with --engine eager`,
    );
  }
  return a.map((size, i) => (size === 1 ? (b[i] as number | null) : size));
}
