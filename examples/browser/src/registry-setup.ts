import { plugin as classic } from '@convkit/arch-classic';
import { plugin as modern } from '@convkit/arch-modern';
import { plugin as attention } from '@convkit/attention';
import { registry } from '@convkit/core';
import { plugin as layers } from '@convkit/layers';
import { plugin as train } from '@convkit/train';

/** convkit's registry with every library package's contributions, as the CLI has it in Node. */
export const pageRegistry = registry.use(layers).use(classic).use(modern).use(attention).use(train);

/** Registered architecture names, LeNet-5 first (the one that trains in seconds on 28x28 shapes). */
export function architectureNames(): string[] {
  const names = pageRegistry.architectures
    .list()
    .map((a) => a.name)
    .sort();
  return ['lenet5', ...names.filter((n) => n !== 'lenet5')];
}
