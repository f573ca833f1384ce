import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * The weight formula of test/fixtures/torchvision_logits.py, in TypeScript: each value of a PyTorch
 * state_dict tensor is an integer hash of the tensor's name and the value's index in PyTorch's layout,
 * scaled by the tensor's role. Integer arithmetic modulo 2^32 is exact in both languages, so the
 * fixture needs no weights, only the logits torchvision computed from them.
 */
function nameSeed(name: string): number {
  let h = 7;
  for (const byte of new TextEncoder().encode(name)) h = (Math.imul(h, 31) + byte) >>> 0;
  return h;
}

/** `count` values in [0, 1), as the fixture script's `uniform(name, count)`. */
function uniform(name: string, count: number): Float64Array {
  const seed = nameSeed(name);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let x = (Math.imul(i, 2654435761 | 0) + seed) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    out[i] = ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
  }
  return out;
}

/** How one convkit weight maps to a PyTorch tensor: its state_dict name, role and the tfjs-from-PyTorch permutation. */
interface TorchTensor {
  name: string;
  kind: 'conv' | 'linear' | 'bnWeight' | 'runningMean' | 'runningVar' | 'bias';
  /** `tf.transpose(torchLayout, perm)` gives tfjs's layout; undefined for vectors. */
  perm?: number[];
}

/** convkit layers carry torchvision's module paths, so a weight's PyTorch name is a suffix lookup. */
function torchTensor(weightName: string): TorchTensor {
  const [layer, suffix] = weightName.split('/') as [string, string];
  const table: Record<string, Omit<TorchTensor, 'name'> & { param: string }> = {
    kernel: { param: 'weight', kind: 'conv', perm: [2, 3, 1, 0] },
    depthwise_kernel: { param: 'weight', kind: 'conv', perm: [2, 3, 0, 1] },
    bias: { param: 'bias', kind: 'bias' },
    gamma: { param: 'weight', kind: 'bnWeight' },
    beta: { param: 'bias', kind: 'bias' },
    moving_mean: { param: 'running_mean', kind: 'runningMean' },
    moving_variance: { param: 'running_var', kind: 'runningVar' },
  };
  const entry = table[suffix];
  if (!entry) throw new Error(`no PyTorch counterpart for weight ${weightName}`);
  return { name: `${layer}.${entry.param}`, kind: entry.kind, ...(entry.perm ? { perm: entry.perm } : {}) };
}

/** Values of one PyTorch tensor of `shape`, scaled as the fixture script's `hashed`. */
function hashed(tensor: TorchTensor, shape: number[]): Float32Array {
  const u = uniform(
    tensor.name,
    shape.reduce((a, b) => a * b, 1),
  );
  const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
  const scale = {
    conv: (v: number) => (2 * v - 1) * Math.sqrt(6 / fanIn),
    linear: (v: number) => (2 * v - 1) * Math.sqrt(3 / fanIn),
    bnWeight: (v: number) => 0.5 + v,
    runningVar: (v: number) => 0.5 + 1.5 * v,
    runningMean: (v: number) => 0.4 * (2 * v - 1),
    bias: (v: number) => 0.2 * (2 * v - 1),
  }[tensor.kind];
  return Float32Array.from(u, scale);
}

/** The inverse of a permutation. */
function inverse(perm: number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    out[p] = i;
  });
  return out;
}

/** Sets every weight of `model` (named by torchvision's module paths) to the fixture's hashed values. */
export function setHashedWeights(model: LayersModel): void {
  for (const layer of model.layers) {
    const weights = layer.weights;
    if (weights.length === 0) continue;
    const isDense = layer.getClassName() === 'Dense';
    const values = weights.map((w) => {
      const tensor = torchTensor(w.originalName);
      const kind = isDense && tensor.kind === 'conv' ? { ...tensor, kind: 'linear' as const, perm: [1, 0] } : tensor;
      const shape = w.shape as number[];
      if (!kind.perm) return tf.tensor(hashed(kind, shape), shape);
      const torchShape = inverse(kind.perm).map((axis) => shape[axis] as number);
      return tf.tidy(() => tf.transpose(tf.tensor(hashed(kind, torchShape), torchShape), kind.perm));
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** The fixture's input batch (NHWC), from the same formula under the name `input`. */
export function hashedInput(shape: number[]): tf.Tensor4D {
  const u = uniform(
    'input',
    shape.reduce((a, b) => a * b, 1),
  );
  return tf.tensor4d(
    Float32Array.from(u, (v) => 2 * v - 1),
    shape as [number, number, number, number],
  );
}
