import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, isolatedHome, runCli } from './run-cli.js';

describe('plugin discovery through the convkit:register hook (built CLI)', () => {
  const home = isolatedHome();

  beforeAll(async () => {
    expect((await runCli(['plugins', 'link', fixture('acme-plugin'), '--no-install'], home)).status).toBe(0);
  });

  it('lists a linked third-party architecture with its params, MACs and plugin', async () => {
    const { status, stdout } = await runCli(['models', 'list', '--json'], home);
    expect(status).toBe(0);
    const rows = JSON.parse(stdout) as { name: string; plugin: string; params: number; macs: number; flops: number }[];
    expect(rows.find((r) => r.name === 'acme-tiny')).toEqual({
      name: 'acme-tiny',
      family: 'acme',
      tags: [], // a third party that declares none
      plugin: 'acme-convkit-plugin',
      params: 3 * 3 * 2 + 2 + 72 * 2 + 2,
      trainableParams: 166,
      macs: 6 * 6 * 2 * 9 + 72 * 2,
      flops: 2 * (6 * 6 * 2 * 9 + 72 * 2),
      input: [8, 8, 1],
    });
  });

  // One home with every failing kind beside acme: each failure is reported on its own and none stops
  // the others (one models list instead of three saves a registry load and four links of the built CLI).
  it('reports a plugin whose hook throws (name and reason), one that registers a taken name (naming both, skipped), and one whose hook does not answer in time, and keeps the others', async () => {
    const failing = isolatedHome();
    for (const name of ['acme-plugin', 'broken-plugin', 'clashing-plugin', 'slow-plugin']) {
      const linked = await runCli(['plugins', 'link', fixture(name), '--no-install'], failing);
      expect(linked.status, linked.stderr).toBe(0);
    }
    const { status, stdout, stderr } = await runCli(['models', 'list', '--json'], { ...failing, CONVKIT_PLUGIN_TIMEOUT_MS: '1500' });
    expect(status).toBe(0);
    expect(stderr).toMatch(/convkit: warning: plugin broken-convkit-plugin failed to register: cannot reach the model zoo/);
    expect(stderr.trim().split('\n')).toContain(
      'convkit: warning: plugin clashing-convkit-plugin failed to register: architecture "acme-tiny" is provided by both "acme-convkit-plugin" and "clashing-convkit-plugin"; uninstall one of them or rename the architecture in your plugin',
    );
    expect(stderr).toMatch(/convkit: warning: plugin slow-convkit-plugin failed to register: .*timed out/i);
    const rows = JSON.parse(stdout) as { name: string; plugin: string }[];
    expect(rows.map((r) => r.name)).toContain('acme-tiny');
    expect(rows.find((r) => r.name === 'acme-tiny')?.plugin).toBe('acme-convkit-plugin');
    expect(rows.map((r) => r.name)).toContain('lenet5');
  });

  it('answers an unknown architecture with close matches in one line and a non-zero exit', async () => {
    const { status, stdout, stderr } = await runCli(['models', 'summary', 'acme-tyni'], home);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      'convkit: unknown architecture "acme-tyni"; did you mean "acme-tiny"? (list them with `convkit models list`)',
    ]);
  });
});
