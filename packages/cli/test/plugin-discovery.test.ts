import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, isolatedHome, runCli } from './run-cli.js';

describe('plugin discovery through the convkit:register hook (built CLI)', () => {
  const home = isolatedHome();

  beforeAll(() => {
    expect(runCli(['plugins', 'link', fixture('acme-plugin'), '--no-install'], home).status).toBe(0);
  });

  it('lists a linked third-party architecture with its params, MACs and plugin', () => {
    const { status, stdout } = runCli(['models', 'list', '--json'], home);
    expect(status).toBe(0);
    const rows = JSON.parse(stdout) as { name: string; plugin: string; params: number; macs: number; flops: number }[];
    expect(rows.find((r) => r.name === 'acme-tiny')).toEqual({
      name: 'acme-tiny',
      family: 'acme',
      plugin: 'acme-convkit-plugin',
      params: 3 * 3 * 2 + 2 + 72 * 2 + 2,
      trainableParams: 166,
      macs: 6 * 6 * 2 * 9 + 72 * 2,
      flops: 2 * (6 * 6 * 2 * 9 + 72 * 2),
      input: [8, 8, 1],
    });
  });

  it('reports a plugin whose hook throws, by name and reason, and still lists the others', () => {
    const broken = { ...home, ...isolatedHome() };
    runCli(['plugins', 'link', fixture('acme-plugin'), '--no-install'], broken);
    runCli(['plugins', 'link', fixture('broken-plugin'), '--no-install'], broken);
    const { status, stdout, stderr } = runCli(['models', 'list', '--json'], broken);
    expect(status).toBe(0);
    expect(stderr).toMatch(/convkit: warning: plugin broken-convkit-plugin failed to register: cannot reach the model zoo/);
    expect(JSON.parse(stdout).map((r: { name: string }) => r.name)).toContain('acme-tiny');
  });

  it('refuses two plugins that register the same architecture name, naming both, in one line', () => {
    const clash = isolatedHome();
    runCli(['plugins', 'link', fixture('acme-plugin'), '--no-install'], clash);
    runCli(['plugins', 'link', fixture('clashing-plugin'), '--no-install'], clash);
    const { status, stderr } = runCli(['models', 'list'], clash);
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      'convkit: architecture "acme-tiny" is provided by both "acme-convkit-plugin" and "clashing-convkit-plugin"; uninstall one of them or rename the architecture in your plugin',
    );
  });

  it('answers an unknown architecture with close matches in one line and a non-zero exit', () => {
    const { status, stdout, stderr } = runCli(['models', 'summary', 'acme-tyni'], home);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      'convkit: unknown architecture "acme-tyni"; did you mean "acme-tiny"? (list them with `convkit models list`)',
    ]);
  });
});
