import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, loadModel } from '@convkit/core';
import { decodeToFloat32, readSafetensors } from '@convkit/interop';
import { runCommand } from '@oclif/test';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRoot, runCli } from './run-cli.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasTorchvision = spawnSync(PYTHON, ['-c', 'import torchvision'], { stdio: 'ignore' }).status === 0;
/** The interop package's torchvision reference script (random weights, eval mode, seeded input). */
const FIXTURE_SCRIPT = join(cliRoot, '..', 'interop', 'test', 'fixtures', 'torchvision_fixture.py');
const ALEXNET = { widthMultiplier: 1 / 16, numClasses: 100, inputShape: [64, 64, 3] };

describe.skipIf(!hasTorchvision)('convkit import', () => {
  const folder = mkdtempSync(join(tmpdir(), 'convkit-cli-import-'));
  const weights = join(folder, 'alexnet.safetensors');

  beforeAll(() => {
    execFileSync(PYTHON, [FIXTURE_SCRIPT, folder, 'alexnet', '--width', '0.0625', '--classes', '100', '--input', '64'], {
      stdio: 'ignore',
    });
  }, 120_000);

  it("saves a model that computes torchvision's logits (alexnet-tv, within 1e-4 relative)", async () => {
    const out = join(folder, 'imported');
    const imported = await runCommand(
      ['import', '--arch', 'alexnet-tv', '--weights', weights, '--out', out, '--arch-options', JSON.stringify(ALEXNET), '--json'],
      { root: cliRoot },
    );
    expect(imported.error).toBeUndefined();
    expect(JSON.parse(imported.stdout).assigned).toHaveLength(16);
    expect(JSON.parse(readFileSync(join(out, 'convkit-import.json'), 'utf8'))).toMatchObject({ arch: 'alexnet-tv', archOptions: ALEXNET });
    // The command registered convkit's layer classes with tfjs in this process, so the folder loads as is.
    await initBackend('cpu');
    const model = await loadModel(out);
    const io = await readSafetensors(join(folder, 'alexnet.io.safetensors'));
    const tensor = (name: string) => {
      const t = io.tensors.get(name)!;
      return tf.tensor(decodeToFloat32(t.bytes, t.dtype), t.shape);
    };
    const logits = model.predict(tf.transpose(tensor('input'), [0, 2, 3, 1])) as tf.Tensor;
    const expected = tensor('logits');
    const error = tf.max(tf.abs(tf.sub(logits, expected))).dataSync()[0]! / tf.max(tf.abs(expected)).dataSync()[0]!;
    expect(error).toBeLessThan(1e-4);
  });

  it('names every tensor that does not fit in one line and exits 1 (wrong architecture)', () => {
    const result = runCli(['import', '--arch', 'vgg11', '--weights', weights, '--out', join(folder, 'wrong'), '--backend', 'cpu']);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /^convkit: .*alexnet\.safetensors does not fit vgg11: missing features\.conv4_2\/kernel, .*; mismatched features\.0\.weight \[4, 3, 11, 11\] for features\.conv1_1\/kernel \[3, 3, 3, 64\]/,
    );
    expect(existsSync(join(folder, 'wrong'))).toBe(false);
  });

  it('says what is wrong with a file that is not safetensors', () => {
    const result = runCli([
      'import',
      '--arch',
      'alexnet-tv',
      '--weights',
      FIXTURE_SCRIPT,
      '--out',
      join(folder, 'bad'),
      '--backend',
      'cpu',
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^convkit: .*torchvision_fixture\.py is not a valid safetensors file \(its header claims \d+ bytes/,
    );
  });
});

it('convkit import --help shows examples', async () => {
  const { stdout } = await runCommand(['import', '--help'], { root: cliRoot });
  expect(stdout).toContain('convkit import --arch vgg16-bn --weights vgg16_bn.safetensors --out models/vgg16-bn');
  expect(stdout).toContain('pt_to_safetensors.py');
});
