import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@oclif/test';
import { describe, expect, it } from 'vitest';
import { cliRoot } from './run-cli.js';

describe('convkit scaffold', () => {
  it('writes a plugin whose package declares tfjs and @convkit/core as peer dependencies and the register hook', async () => {
    const out = mkdtempSync(join(tmpdir(), 'convkit-scaffold-'));
    const { error } = await runCommand(['scaffold', 'plugin', '@acme/nets', '--out', out], { root: cliRoot });
    expect(error).toBeUndefined();
    const pkg = JSON.parse(readFileSync(join(out, 'nets', 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@acme/nets');
    expect(Object.keys(pkg.peerDependencies)).toEqual([
      '@convkit/core',
      '@convkit/layers',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
    ]);
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.oclif.hooks['convkit:register']).toBe('./dist/src/register.js');
    expect(readFileSync(join(out, 'nets', 'src', 'nets.ts'), 'utf8')).toContain('const NETS_STAGES = {');
  });

  it('writes an architecture file and a project, and never overwrites', async () => {
    const out = mkdtempSync(join(tmpdir(), 'convkit-scaffold-'));
    expect((await runCommand(['scaffold', 'architecture', 'tiny-vgg', '--out', out], { root: cliRoot })).error).toBeUndefined();
    expect(readFileSync(join(out, 'tiny-vgg.ts'), 'utf8')).toMatch(/export function buildTinyVgg\(variant: TinyVggVariant/);
    const again = await runCommand(['scaffold', 'architecture', 'tiny-vgg', '--out', out], { root: cliRoot });
    expect(again.stderr.trim()).toMatch(/^convkit: .*tiny-vgg\.ts already exists; choose another name or --out$/);
    expect((await runCommand(['scaffold', 'project', 'my-runs', '--out', out], { root: cliRoot })).error).toBeUndefined();
    expect(readFileSync(join(out, 'my-runs', 'src', 'train.ts'), 'utf8')).toContain("arch: 'lenet5'");
    const taken = await runCommand(['scaffold', 'project', 'my-runs', '--out', out], { root: cliRoot });
    expect(taken.stderr).toMatch(/my-runs already exists and is not empty/);
  });

  it('refuses a name that is not kebab-case in one line', async () => {
    const { stderr, error } = await runCommand(['scaffold', 'plugin', 'Acme_Nets'], { root: cliRoot });
    expect(error?.oclif?.exit).toBe(1);
    expect(stderr.trim()).toBe(
      'convkit: "Acme_Nets" is not a lowercase kebab-case name; use one like acme-nets (or @acme/nets for a plugin)',
    );
  });
});
