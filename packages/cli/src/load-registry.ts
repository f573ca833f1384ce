import { ConvkitError, type ConvkitPlugin, errorLine, isConvkitError, Registry } from '@convkit/core';
import type { Config } from '@oclif/core';
import { REGISTER_HOOK } from './register-hook.js';

/** How long one plugin's register hook may take before it is reported as failed. */
export const REGISTER_TIMEOUT_MS = 30_000;

/** A plugin whose register hook failed, and why. */
export interface PluginFailure {
  plugin: string;
  reason: string;
}

/** The registry assembled from every installed plugin, and the plugins that could not contribute. */
export interface LoadedRegistry {
  registry: Registry;
  failures: PluginFailure[];
}

function isPlugin(value: unknown): value is ConvkitPlugin {
  return typeof value === 'object' && value !== null && typeof (value as ConvkitPlugin).name === 'string';
}

/**
 * Runs the `convkit:register` hook of every installed oclif plugin (convkit's own, listed in the
 * CLI's `oclif.plugins`, and third-party ones added with `convkit plugins install|link`) and merges
 * what they return. A hook that throws, times out or returns no plugin is reported, not hidden; a
 * name clash between two plugins is an error naming both.
 */
export async function loadRegistry(config: Config): Promise<LoadedRegistry> {
  const result = await config.runHook(REGISTER_HOOK, {}, REGISTER_TIMEOUT_MS, true);
  const registry = new Registry();
  const failures: PluginFailure[] = result.failures.map(({ plugin, error }) => ({ plugin: plugin.name, reason: errorLine(error) }));
  const successes = [...result.successes].sort((a, b) => a.plugin.name.localeCompare(b.plugin.name));
  for (const { plugin, result: contributed } of successes) {
    if (!isPlugin(contributed)) {
      failures.push({ plugin: plugin.name, reason: `its ${REGISTER_HOOK} hook returned no plugin object` });
      continue;
    }
    try {
      registry.use(contributed);
    } catch (error) {
      if (isConvkitError(error)) throw error;
      throw new ConvkitError('plugin-failed', `plugin ${plugin.name} could not be registered: ${(error as Error).message}`);
    }
  }
  return { registry, failures };
}
