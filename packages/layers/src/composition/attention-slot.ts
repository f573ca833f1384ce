import type { SymbolicTensor } from '@tensorflow/tfjs-layers';

/**
 * A block's attention slot, as timm's `attn_layer`: given the channel count at the slot (and a name
 * prefix unique to the block, for the module's layers), returns the module to apply there. Residual
 * blocks apply it after their last norm and before the residual add; MobileNet's inverted residual
 * after the depthwise convolution and before the projection (where MnasNet and MobileNet v3 put SE).
 * `@convkit/attention` fills it with SE, CBAM and others; a function of the channels alone fits too.
 */
export type AttentionSlot = (channels: number, name: string) => (x: SymbolicTensor) => SymbolicTensor;
