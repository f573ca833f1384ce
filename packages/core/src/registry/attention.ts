import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { z } from 'zod';

/**
 * A block's attention slot, as timm's `attn_layer`: given the channel count at the slot and a name
 * prefix unique to the block (for the module's layers), returns the module to apply there. Residual
 * blocks apply it after their last norm and before the residual add; MobileNet's inverted residual
 * after the depthwise convolution and before the projection (where MnasNet and MobileNet v3 put SE).
 */
export type AttentionSlot = (channels: number, name: string) => (x: SymbolicTensor) => SymbolicTensor;

/**
 * How options name an attention module: its registered name (`'se'`) or the name with options
 * (`{ name: 'se', options: { reduction: 8 } }`). Both are JSON, so `--arch-options` and saved runs
 * carry them; the registry turns them into an {@link AttentionSlot} before a builder sees them.
 */
export type AttentionReference = string | { name: string; options?: Record<string, unknown> };

/** An attention module (SE, CBAM, ...) that fills the attention slot of any architecture declaring one. */
export interface AttentionSpec {
  /** Unique lowercase name, e.g. `se`; also the prefix of the variants `withAttention` registers (`se-resnet50`). */
  name: string;
  /** One-line description. */
  description: string;
  /** The paper that introduced it. */
  paper?: { title: string; year: number; url?: string };
  /** Validates raw options and fills defaults; unknown keys must be rejected. */
  options: z.ZodType<Record<string, unknown>, z.ZodTypeDef, unknown>;
  /** The slot filler for validated options (timm's `create_attn(name, channels, **kwargs)`, curried). */
  create(options: Record<string, unknown>): AttentionSlot;
}

/** Declares an attention module: a plain value that registers nothing until a plugin carrying it is used. */
export function defineAttention(spec: AttentionSpec): AttentionSpec {
  return spec;
}
