import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { NonLocalAttention } from './non-local-attention.js';

/** One module's attention on one image. */
export interface AttentionMap {
  /** The module's name prefix in the model (`stage2.block1.attn`). */
  module: string;
  /**
   * - `channel`: SE's or CBAM's per-channel weights, `[C]`;
   * - `spatial`: CBAM's spatial map, `[H, W]`;
   * - `pairwise`: a non-local block's normalised weights `f / C(x)`, `[H W, N]` (query by position).
   */
  kind: 'channel' | 'spatial' | 'pairwise';
  values: tf.Tensor;
  /** `pairwise` only: the query positions' grid (theta's height, width) and the key positions' (phi's, after its sub-sampling). */
  grids?: { query: [number, number]; key: [number, number] };
}

/** The layers whose outputs are attention weights, by the names SE and CBAM give them. */
const GATES: [RegExp, AttentionMap['kind']][] = [
  [/^(.*)\.fc2$/, 'channel'],
  [/^(.*)\.channel\.gate$/, 'channel'],
  [/^(.*)\.spatial\.gate$/, 'spatial'],
];

/**
 * The attention of every SE, CBAM and non-local module of `model` on one image (`[H, W, C]` or
 * `[1, H, W, C]`), in inference mode: SE's channel weights (its `fc2` output), CBAM's channel
 * weights and spatial map, a non-local block's pairwise weights. The caller disposes the values.
 */
export function attentionMaps(model: LayersModel, image: tf.Tensor): AttentionMap[] {
  const found: { module: string; kind: AttentionMap['kind']; output: SymbolicTensor }[] = [];
  const nonLocal: { module: string; layer: NonLocalAttention; inputs: SymbolicTensor[] }[] = [];
  for (const layer of model.layers) {
    if (layer instanceof NonLocalAttention) {
      const inputs = layer.inboundNodes[0]?.inputTensors as SymbolicTensor[];
      nonLocal.push({ module: layer.name.replace(/\.attention$/, ''), layer, inputs });
      continue;
    }
    for (const [pattern, kind] of GATES) {
      const match = pattern.exec(layer.name);
      // An SE module's fc2 has its pool and scale beside it; a classifier's fc2 and CBAM's shared fc2 do not.
      const isSe = (prefix: string) => ['pool', 'scale'].every((part) => model.layers.some((l) => l.name === `${prefix}.${part}`));
      if (match && (!layer.name.endsWith('.fc2') || isSe(match[1] as string))) {
        found.push({ module: match[1] as string, kind, output: layer.output as SymbolicTensor });
      }
    }
  }
  const outputs = [...found.map((f) => f.output), ...nonLocal.flatMap((n) => n.inputs.slice(0, 2))];
  if (outputs.length === 0) return [];
  const tensors = tf.tidy(() => {
    const batch = image.rank === 3 ? tf.expandDims(image, 0) : image;
    const probe = functionalModel({ inputs: model.inputs, outputs });
    const values = [probe.predict(batch)].flat() as tf.Tensor[];
    const gates = found.map((f, i) =>
      f.kind === 'spatial' ? tf.squeeze(values[i] as tf.Tensor, [0, 3]) : tf.reshape(values[i] as tf.Tensor, [-1]),
    );
    const pairwise = nonLocal.map((n, j) => {
      const theta = values[found.length + 2 * j] as tf.Tensor4D;
      const phi = values[found.length + 2 * j + 1] as tf.Tensor4D;
      return tf.squeeze(n.layer.attention(theta, phi), [0]);
    });
    const grids = nonLocal.map((_, j) => {
      const [theta, phi] = [values[found.length + 2 * j], values[found.length + 2 * j + 1]] as tf.Tensor4D[];
      return { query: theta!.shape.slice(1, 3) as [number, number], key: phi!.shape.slice(1, 3) as [number, number] };
    });
    return { maps: [...gates, ...pairwise], grids };
  });
  return [
    ...found.map((f, i) => ({ module: f.module, kind: f.kind, values: tensors.maps[i] as tf.Tensor })),
    ...nonLocal.map((n, j) => ({
      module: n.module,
      kind: 'pairwise' as const,
      values: tensors.maps[found.length + j] as tf.Tensor,
      grids: tensors.grids[j],
    })),
  ];
}
