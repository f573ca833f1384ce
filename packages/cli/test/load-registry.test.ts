import type { Config } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../src/index.js';

/** A Config whose runHook answers with the given hook failures and one working plugin. */
function configWithFailures(failures: { plugin: { name: string }; error: unknown }[]): Config {
  const working = { name: 'working-plugin', architectures: [] };
  return { runHook: async () => ({ successes: [{ plugin: { name: 'working-plugin' }, result: working }], failures }) } as unknown as Config;
}

describe('loadRegistry', () => {
  it('reports a hook that threw something other than an Error, or an Error without a message, and keeps the others', async () => {
    const { registry, failures } = await loadRegistry(
      configWithFailures([
        { plugin: { name: 'string-thrower' }, error: 'model zoo offline\nretry later' },
        { plugin: { name: 'silent-thrower' }, error: new TypeError('') },
        { plugin: { name: 'undefined-thrower' }, error: undefined },
      ]),
    );
    expect(failures).toEqual([
      { plugin: 'string-thrower', reason: 'model zoo offline' },
      { plugin: 'silent-thrower', reason: 'TypeError' },
      { plugin: 'undefined-thrower', reason: 'unknown error' },
    ]);
    expect(registry.pluginNames()).toEqual(['working-plugin']);
  });
});
