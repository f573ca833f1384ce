import type { ConvkitPlugin } from '@convkit/core';
import { plugin } from './plugin.js';

/** The `convkit:register` oclif hook: hands the CLI this package's datasets and augmentations. */
export default async function register(): Promise<ConvkitPlugin> {
  return plugin;
}
