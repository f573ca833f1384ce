import { type ConvkitPlugin, errorLine, Registry } from '@convkit/core';
import type { Config } from '@oclif/core';
import { REGISTER_HOOK } from './register-hook.js';

/** How long one plugin's register hook may take before it is reported as failed (`CONVKIT_PLUGIN_TIMEOUT_MS` overrides). */
export const REGISTER_TIMEOUT_MS = 30_000;

function registerTimeout(): number {
  const value = Number(process.env.CONVKIT_PLUGIN_TIMEOUT_MS);
  return Number.isInteger(value) && value > 0 ? value : REGISTER_TIMEOUT_MS;
}

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
 * what they return, convkit's own packages first, then the others by name. A hook that throws,
 * times out or returns no plugin, and a plugin that registers a name already taken, are reported
 * (naming both plugins) and skipped whole; the other plugins and the CLI keep working.
 */
export async function loadRegistry(config: Config): Promise<LoadedRegistry> {
  const timeout = registerTimeout();
  // oclif's hook timer is unref'd: with a hook that never settles, Node would exit (code 13) before it fires.
  const keepAlive = setTimeout(() => {}, timeout + 1000);
  const result = await config.runHook(REGISTER_HOOK, {}, timeout, true).finally(() => clearTimeout(keepAlive));
  const registry = new Registry();
  const failures: PluginFailure[] = result.failures.map(({ plugin, error }) => ({ plugin: plugin.name, reason: errorLine(error) }));
  // convkit's own packages (oclif's `core` plugins) claim their names first, so no plugin can shadow them.
  const rank = (p: { type?: string }) => (p.type === 'core' ? 0 : 1);
  const successes = [...result.successes].sort(
    (a, b) => rank(a.plugin) - rank(b.plugin) || (a.plugin.name < b.plugin.name ? -1 : a.plugin.name > b.plugin.name ? 1 : 0),
  );
  for (const { plugin, result: contributed } of successes) {
    if (!isPlugin(contributed)) {
      failures.push({ plugin: plugin.name, reason: `its ${REGISTER_HOOK} hook returned no plugin object` });
      continue;
    }
    try {
      registry.use(contributed);
    } catch (error) {
      // Registry.use takes back whatever of the plugin went in before the error.
      failures.push({ plugin: plugin.name, reason: errorLine(error) });
    }
  }
  return { registry, failures };
}
