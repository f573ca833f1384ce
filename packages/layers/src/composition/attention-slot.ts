import type { AttentionSlot } from '@convkit/core';
import { z } from 'zod';

export type { AttentionSlot } from '@convkit/core';

/**
 * `attention` option of an architecture whose blocks host the attention slot (see `AttentionSlot`):
 * null (default) for none, or the slot function. Having this option is how a spec declares the slot:
 * the registry turns a named module (`"se"`, `{ "name": "cbam", "options": {...} }`) into the slot
 * function before the builder runs, and `withAttention` (@convkit/attention) accepts the spec.
 */
export const attentionOption = z
  .custom<AttentionSlot>((value) => typeof value === 'function', {
    message: 'expected an attention module name such as "se", { name, options }, or null',
  })
  .nullable()
  .default(null)
  .describe('attention module in every block: "se", "cbam", {"name": ..., "options": {...}} or null');
