import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeIdxDataset } from './idx-fixture.js';
import { writeImageFolder } from './image-fixture.js';
import { type ChildResult, cliRoot, isolatedHome, runAsync } from './run-cli.js';

// What a user installs: the CLI and the convkit packages it depends on, each packed as npm would publish it.
const PACKAGES = ['core', 'layers', 'arch-classic', 'arch-modern', 'attention', 'nas', 'interop', 'train', 'inspect', 'sweep', 'cli'];
const packagesRoot = join(cliRoot, '..');

// vitest's NODE_PATH points into this workspace's pnpm store, where require() would find a second
// tfjs (tfjs-node's); a user's shell has none of it.
const { NODE_PATH: _workspace, ...userEnv } = process.env;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  return runAsync(command, args, { cwd, env: { ...userEnv, CONVKIT_BACKEND: '', ...env } });
}

async function ok(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = await run(command, args, cwd, env);
  expect(result.status, `${command} ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

// Registry packages come from npm's cache when it has them, so the test works from the registry mirror.
const npmInstall = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

describe('the packed CLI, installed with npm into an empty folder, runs a scaffolded plugin end to end', () => {
  const root = mkdtempSync(join(tmpdir(), 'convkit-packed-'));
  const packs = join(root, 'packs');
  const app = join(root, 'app');
  const home = isolatedHome();
  const tarball = (name: string) => join(packs, readdirSync(packs).find((f) => f === `convkit-${name}-0.0.0.tgz`) ?? `${name}?`);
  const convkit = (args: string[]) =>
    run(process.execPath, [join(app, 'node_modules', '@convkit', 'cli', 'bin', 'run.js'), ...args], app, home);

  beforeAll(async () => {
    mkdirSync(packs);
    for (const name of PACKAGES) await ok('npx', ['-y', 'pnpm@9', 'pack', '--pack-destination', packs], join(packagesRoot, name));
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'convkit-user', version: '1.0.0', private: true }));
    await ok('npm', [...npmInstall, ...PACKAGES.map(tarball)], app);
  }, 600_000);

  it('scaffolds a plugin that builds and passes its own tests against the packed convkit', async () => {
    await ok(
      process.execPath,
      [join(app, 'node_modules', '@convkit', 'cli', 'bin', 'run.js'), 'scaffold', 'plugin', 'acme-nets'],
      app,
      home,
    );
    const plugin = join(app, 'acme-nets');
    // Its convkit dev dependencies are the packed tarballs (convkit is not on the registry here).
    await ok('npm', [...npmInstall, '--no-save', tarball('core'), tarball('layers')], plugin);
    const tested = await ok('npm', ['test'], plugin);
    expect(tested.stdout).toMatch(/# pass 3/);
    expect(tested.stdout).toMatch(/# fail 0/);
  }, 300_000);

  it('links the plugin, lists its architectures, trains one for an epoch and predicts with it', async () => {
    const linked = await convkit(['plugins', 'link', join(app, 'acme-nets'), '--no-install']);
    expect(linked.status, linked.stderr).toBe(0);
    const listed = await convkit(['models', 'list', '--family', 'acme-nets', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string; plugin: string }[]).map((r) => [r.name, r.plugin])).toEqual([
      ['acme-nets-small', 'acme-nets'],
      ['acme-nets-base', 'acme-nets'],
    ]);
    // The plugin has its own tfjs in node_modules; the CLI must still load only its own.
    expect(listed.stderr).not.toMatch(/Platform node has already been set/);

    const images = writeImageFolder(48, 16);
    const out = join(root, 'run');
    const trained = await convkit([
      'train',
      '--arch',
      'acme-nets-small',
      '--data',
      images,
      '--epochs',
      '1',
      '--batch-size',
      '16',
      '--out',
      out,
      '--json',
    ]);
    expect(trained.status, trained.stderr).toBe(0);
    expect(JSON.parse(trained.stdout.trim().split('\n').at(-1) as string)).toMatchObject({ arch: 'acme-nets-small', epochs: 1 });

    const predicted = await convkit(['predict', '--model', out, join(images, 'test'), '--top', '2', '--json']);
    expect(predicted.status, predicted.stderr).toBe(0);
    const { predictions } = JSON.parse(predicted.stdout) as { predictions: { file: string; top: { className: string }[] }[] };
    expect(predictions).toHaveLength(16);
    const classes = new Set(readdirSync(join(images, 'test')));
    for (const p of predictions) {
      expect(classes).toContain(basename(dirname(p.file)));
      expect(classes).toContain(p.top[0]?.className);
    }
    // The installed CLI reads an IDX folder and says where it is.
    const idx = await convkit(['data', 'info', writeIdxDataset(), '--json']);
    expect(JSON.parse(idx.stdout).source).toMatch(/convkit-idx-/);
  }, 300_000);
});
