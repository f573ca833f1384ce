import type { ConvkitPlugin } from '@convkit/core';
import { plugin } from './plugin.js';

/**
 * The `convkit:register` oclif hook: the CLI runs it across installed plugins and merges what each
 * returns into its registry.
 */
export default async function register(): Promise<ConvkitPlugin> {
  return plugin;
}
