import { ConvkitError } from '../../errors.js';
import type { LayerLowering } from './lowering-context.js';

/**
 * The attention of convkit's non-local block (`convkit.NonLocalAttention`, `[theta, phi, g]` in):
 * each map flattened to one row per position, the pairwise scores `theta phi^T` (a batched matrix
 * product), normalised by a softmax over the positions of phi (the Gaussian and embedded forms) or
 * divided by their count N (the dot form), times g, and reshaped back to theta's positions. The
 * concatenation form, whose pairwise function has weights of its own, is refused.
 */
export const nonLocalAttention: LayerLowering = (context) => {
  const { config, layer, ops } = context;
  const pairwise = String(config.pairwise ?? 'embedded');
  if (pairwise !== 'gaussian' && pairwise !== 'embedded' && pairwise !== 'dot') {
    throw new ConvkitError(
      'graph-unsupported',
      `layer ${layer.name} is a non-local attention of pairwise function ${pairwise}, which the graph engine does not lower (it lowers gaussian, embedded and dot); train it with --engine eager`,
    );
  }
  const [theta, phi, g] = context.inputShapes as [number[], number[], number[]];
  const rows = (index: number, shape: number[], part: string) =>
    ops.reshape(
      context.inputs[index] as string,
      [-1, (shape[1] as number) * (shape[2] as number), shape[3] as number],
      `${layer.name}/${part}`,
    );
  const scores = ops.batchMatMul(rows(0, theta, 'theta'), rows(1, phi, 'phi'), true, `${layer.name}/scores`);
  const keys = (phi[1] as number) * (phi[2] as number);
  const weights = pairwise === 'dot' ? ops.scale(scores, 1 / keys, `${layer.name}/weights`) : ops.softmax(scores, `${layer.name}/weights`);
  const y = ops.batchMatMul(weights, rows(2, g, 'g'), false, `${layer.name}/sum`);
  return ops.reshape(y, [-1, theta[1] as number, theta[2] as number, g[3] as number], layer.name);
};
