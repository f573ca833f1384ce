import type { LayersModel, layers } from '@tensorflow/tfjs-layers';
import { activationOf } from './activations.js';
import { type LayerWeight, layerWeights } from './export-context.js';

/** Convolutions whose kernel's flattened last axes are the output channels (HWIO, and depthwise `[kh, kw, C, m]`). */
const FOLDABLE_CONVS: Record<string, string> = {
  Conv2D: 'kernel',
  'convkit.Conv2d': 'kernel',
  DepthwiseConv2D: 'depthwise_kernel',
  'convkit.DepthwiseConv2d': 'depthwise_kernel',
};

/** Which layers a folded export changes: the convolutions' new weights, and the batch norms folded into them. */
export interface BatchNormFolding {
  /** Weights to export instead of a convolution's own, by layer name. */
  weights: Map<string, Map<string, LayerWeight>>;
  /** Batch norms that become the identity, by layer name. */
  folded: Set<string>;
}

/** The one convolution a batch norm reads, when the norm can be folded into it; otherwise undefined. */
function foldableConv(norm: layers.Layer): layers.Layer | undefined {
  if (norm.getClassName() !== 'BatchNormalization' || norm.inboundNodes.length !== 1) return undefined;
  const axis = Number((norm.getConfig() as { axis?: number }).axis ?? -1);
  if (axis !== -1 && axis !== 3) return undefined;
  const conv = norm.inboundNodes[0]!.inboundLayers[0];
  if (!conv || !(conv.getClassName() in FOLDABLE_CONVS)) return undefined;
  // Folding changes the convolution's output: nothing else may read it, and it must be linear.
  if (conv.inboundNodes.length !== 1 || conv.outboundNodes.length !== 1) return undefined;
  const activation = activationOf(conv.getConfig() as Record<string, unknown>);
  return activation === undefined || activation.name === 'linear' ? conv : undefined;
}

/**
 * Inference-time batch norm folding: a BatchNormalization that alone reads a linear convolution is
 * `gamma (Wx + b - mean) / sqrt(var + eps) + beta`, i.e. the convolution with kernel `W * s` and bias
 * `(b - mean) * s + beta` for `s = gamma / sqrt(var + eps)` per output channel (Jacob et al. 2018,
 * Sec. 3.2). Returns the rewritten convolution weights and the norms that vanish.
 */
export function foldBatchNorms(model: LayersModel): BatchNormFolding {
  const folding: BatchNormFolding = { weights: new Map(), folded: new Set() };
  for (const norm of model.layers) {
    const conv = foldableConv(norm);
    if (!conv) continue;
    const n = layerWeights(norm);
    const config = norm.getConfig() as { epsilon?: number };
    const mean = n.get('moving_mean')!.values;
    const variance = n.get('moving_variance')!.values;
    const channels = mean.length;
    const scale = Float32Array.from(
      mean,
      (_, c) => (n.get('gamma')?.values[c] ?? 1) / Math.sqrt(variance[c]! + Number(config.epsilon ?? 1e-3)),
    );
    const convWeights = layerWeights(conv);
    const kernelName = FOLDABLE_CONVS[conv.getClassName()]!;
    const kernel = convWeights.get(kernelName)!;
    // Channels are the fastest-varying index of the flattened kernel in both kernel layouts.
    const folded = Float32Array.from(kernel.values, (v, i) => v * scale[i % channels]!);
    const bias = Float32Array.from(
      mean,
      (m, c) => ((convWeights.get('bias')?.values[c] ?? 0) - m) * scale[c]! + (n.get('beta')?.values[c] ?? 0),
    );
    folding.weights.set(
      conv.name,
      new Map([
        [kernelName, { shape: kernel.shape, values: folded }],
        ['bias', { shape: [channels], values: bias }],
      ]),
    );
    folding.folded.add(norm.name);
  }
  return folding;
}
