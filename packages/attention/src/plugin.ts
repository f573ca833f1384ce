import { definePlugin } from '@convkit/core';
import { cbamAttention } from './cbam.js';
import { ChannelPool } from './channel-pool.js';
import { NonLocalAttention } from './non-local-attention.js';
import { se } from './squeeze-excite.js';
import {
  cbamResnet20,
  cbamResnet50,
  nonlocalResnet50,
  nonlocalResnet50x5,
  seMobilenetV2,
  seResnet20,
  seResnet50,
  seResnext50x32x4d,
} from './variants.js';

/**
 * The package's contribution to the convkit registry: the attention variants (`se-resnet20`,
 * `cbam-resnet50`, `se-resnext50-32x4d`, `se-mobilenet-v2`, `nonlocal-resnet50`, ...), the attention modules `se` and `cbam` (which
 * fill the attention slot of any architecture declaring it, `{"attention": "se"}`) and the layer
 * classes they and the non-local block add to tfjs (`convkit.ChannelPool`, `convkit.NonLocalAttention`).
 * The pools and activations they also use are `@convkit/layers`' contribution: use its plugin too
 * before loading a saved model (the CLI loads both). Nothing is registered on import.
 */
export const plugin = definePlugin({
  name: '@convkit/attention',
  attention: [se, cbamAttention],
  architectures: [
    seResnet20,
    cbamResnet20,
    seResnet50,
    cbamResnet50,
    seResnext50x32x4d,
    seMobilenetV2,
    nonlocalResnet50,
    nonlocalResnet50x5,
  ],
  layers: [ChannelPool, NonLocalAttention],
});
