import { ConvkitError } from '../errors.js';
import type { Contribution } from './named-table.js';
import type { AnyArchitectureSpec } from './plugin.js';
import type { Registry } from './registry.js';

/** Which registered architectures to pick; every given condition must hold. */
export interface ArchitectureFilter {
  /** Only this family (`ArchitectureSpec.family`, e.g. `resnet`). */
  family?: string;
  /** Only architectures carrying every one of these tags (`ArchitectureSpec.tags`, e.g. `attention`). */
  tags?: string[];
}

/** One registered architecture with its name and contributing plugin. */
export type ArchitectureEntry = Contribution<AnyArchitectureSpec> & { name: string };

/** Every tag some registered architecture carries, sorted. */
export function knownArchitectureTags(registry: Registry): string[] {
  return [...new Set(registry.architectures.list().flatMap((entry) => entry.value.tags ?? []))].sort();
}

/** Every family some registered architecture belongs to, sorted. */
export function knownArchitectureFamilies(registry: Registry): string[] {
  return [...new Set(registry.architectures.list().map((entry) => entry.value.family))].sort();
}

/**
 * The registered architectures that pass `filter`, in registration order (timm's `list_models`
 * filters). A family or tag that no registered architecture has is a {@link ConvkitError} listing
 * the known ones, so a typo is not mistaken for an empty result.
 */
export function selectArchitectures(registry: Registry, filter: ArchitectureFilter = {}): ArchitectureEntry[] {
  const { family, tags = [] } = filter;
  if (family !== undefined) refuseUnknown('family', [family], knownArchitectureFamilies(registry));
  refuseUnknown('tag', tags, knownArchitectureTags(registry));
  return registry.architectures
    .list()
    .filter((entry) => family === undefined || entry.value.family === family)
    .filter((entry) => tags.every((tag) => entry.value.tags?.includes(tag)));
}

function refuseUnknown(kind: 'family' | 'tag', asked: string[], known: string[]): void {
  const unknown = asked.find((value) => !known.includes(value));
  if (unknown === undefined) return;
  throw new ConvkitError(
    `unknown-architecture-${kind}`,
    `no registered architecture has ${kind} "${unknown}"; known ${kind === 'tag' ? 'tags' : 'families'}: ${known.join(', ') || 'none'}`,
  );
}
