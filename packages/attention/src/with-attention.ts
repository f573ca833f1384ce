import {
  type AnyArchitectureSpec,
  type ArchitectureSpec,
  type AttentionSpec,
  type BaseArchitectureOptions,
  ConvkitError,
  defineArchitecture,
  optionShape,
  type ReferenceFigures,
} from '@convkit/core';
import { z } from 'zod';

/** What {@link withAttention} gives the new architecture beyond the base spec's. */
export interface WithAttentionOptions {
  /** Options of the attention module (validated by its schema); default its defaults. */
  options?: Record<string, unknown>;
  /** Registered name; default `${attention.name}-${spec.name}` (`se-resnet50`). */
  name?: string;
  /** One-line description; default the base's, prefixed with the module's name. */
  description?: string;
  /** The paper of the combination; default the attention module's. */
  paper?: ArchitectureSpec['paper'];
  /** Published figures of the combination, which its tests check. */
  reference?: ReferenceFigures;
  /** Tags; default {@link attentionTags} of the base's and the module's name. */
  tags?: string[];
}

/**
 * The tags of `base` with an attention module `module` added: the base's, less `torchvision` (the
 * combination is not a torchvision model, so a torchvision state_dict no longer maps name for name),
 * plus `attention` and the module's own name (`se`, `cbam`, `non-local`).
 */
export function attentionTags(base: Pick<ArchitectureSpec, 'tags'>, module: string): string[] {
  return [...(base.tags ?? []).filter((tag) => tag !== 'torchvision'), 'attention', module];
}

/**
 * A new architecture: `spec` with `attention` in the slot of every block, as timm's
 * `block_args=dict(attn_layer='se')`. Works for any spec, a third party's included, whose options
 * take `attention` (the `attentionOption` of @convkit/layers), which is how a spec declares that its
 * blocks host the slot; any other spec is a {@link ConvkitError} naming it. The new spec takes the
 * base's options except `attention`, which it fixes, and keeps its family and default input.
 */
export function withAttention<Options extends BaseArchitectureOptions>(
  base: ArchitectureSpec<Options>,
  attention: AttentionSpec,
  options: WithAttentionOptions = {},
): AnyArchitectureSpec {
  const spec = base as unknown as AnyArchitectureSpec;
  if (!('attention' in optionShape(spec))) {
    throw new ConvkitError(
      'no-attention-slot',
      `architecture ${spec.name} has no attention slot (no "attention" option); its builder must take attentionOption from @convkit/layers and call it in its blocks`,
    );
  }
  const parsed = attention.options.safeParse(options.options ?? {});
  if (!parsed.success) {
    throw new ConvkitError(
      'bad-option',
      `bad options for attention module ${attention.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`,
    );
  }
  const slot = attention.create(parsed.data);
  const name = options.name ?? `${attention.name}-${spec.name}`;
  return defineArchitecture({
    ...spec,
    name,
    description:
      options.description ??
      `${attention.name.toUpperCase()} in every block of ${spec.name}${spec.description ? `: ${spec.description}` : ''}`,
    paper: options.paper ?? attention.paper ?? spec.paper,
    reference: options.reference,
    tags: options.tags ?? attentionTags(spec, attention.name),
    options: withoutAttention(spec.options, name),
    build: (resolved) => spec.build({ ...resolved, attention: slot }),
  });
}

/** The base options schema without `attention`: omitted from an object schema, else refused. */
function withoutAttention(schema: AnyArchitectureSpec['options'], name: string): AnyArchitectureSpec['options'] {
  if (schema instanceof z.ZodObject) return schema.omit({ attention: true }) as unknown as AnyArchitectureSpec['options'];
  return schema.refine((o) => (o as { attention?: unknown }).attention == null, {
    message: `${name} fixes its attention module; build the base architecture to choose another`,
    path: ['attention'],
  });
}
