import { definePlugin } from '@convkit/core';
import { lenet5 } from './lenet.js';

/**
 * The package's contribution to the convkit registry: every classic architecture. Nothing is
 * registered on import; call `registry.use(plugin)`, or let the CLI run the `convkit:register` hook.
 */
export const plugin = definePlugin({
  name: '@convkit/arch-classic',
  architectures: [lenet5],
});
