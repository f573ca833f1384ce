import type { LayerLowering } from './lowering-context.js';

/** What the lowering reads of convkit's DropPath: its rate, which a drop-path schedule sets between epochs. */
interface RateLayer {
  rate: number;
}

/**
 * convkit's DropPath (stochastic depth): in training each example's branch is kept whole with
 * probability `1 - rate`, from a stateless draw seeded by the step's seed, so a resumed run draws the
 * same masks; the rate is fed at every step from the layer, where the schedule keeps it. The
 * identity outside training.
 */
export const dropPath: LayerLowering = (context) => {
  const { layer, ops } = context;
  const x = context.inputs[0] as string;
  if (!context.training) return x;
  const rate = context.stepScalar(`${layer.name}/rate`, () => (layer as unknown as RateLayer).rate);
  return ops.dropExamples(x, rate, context.randomSeed(), context.inputShapes[0]?.length ?? 4, layer.name);
};
