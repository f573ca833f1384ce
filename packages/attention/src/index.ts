/**
 * @convkit/attention: squeeze-and-excitation, CBAM and non-local blocks for convkit architectures,
 * and `withAttention` to put them into any architecture whose blocks host the attention slot.
 * @packageDocumentation
 */

export {
  type AttentionCosts,
  type AttentionModuleCost,
  type AttentionModuleKind,
  attentionCosts,
  type CostShare,
} from './attention-costs.js';
export { type AttentionMap, attentionMaps } from './attention-maps.js';
export { type CbamOptions, cbam, cbamAttention, cbamOptions } from './cbam.js';
export { channelMlp, gateScale, type ReductionOptions, reducedWidth, reductionFields } from './channel-mlp.js';
export { ChannelPool } from './channel-pool.js';
export { type NonLocalOptions, nonLocalBlock, nonLocalOptions } from './non-local.js';
export { NonLocalAttention, type NonLocalAttentionArgs, PAIRWISE_FUNCTIONS, type PairwiseFunction } from './non-local-attention.js';
export { type NonLocalPlacement, nonLocalAfter, nonLocalPlacement, withNonLocal } from './non-local-placement.js';
export { plugin } from './plugin.js';
export { type SqueezeExciteOptions, se, squeezeExcite, squeezeExciteOptions } from './squeeze-excite.js';
export {
  cbamResnet20,
  cbamResnet50,
  nonlocalResnet50,
  nonlocalResnet50x5,
  seMobilenetV2,
  seResnet20,
  seResnet50,
  seResnext50x32x4d,
} from './variants.js';
export { attentionTags, type WithAttentionOptions, withAttention } from './with-attention.js';
