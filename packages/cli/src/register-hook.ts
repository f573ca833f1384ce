import type { ConvkitPlugin } from '@convkit/core';

/** Name of the oclif hook through which packages contribute to the convkit registry. */
export const REGISTER_HOOK = 'convkit:register';

declare module '@oclif/core' {
  interface Hooks {
    /** Each contributing package's hook returns its {@link ConvkitPlugin}. */
    'convkit:register': { options: Record<string, never>; return: ConvkitPlugin };
  }
}
