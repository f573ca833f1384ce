import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeToFloat32, readSafetensors } from '@convkit/interop';
import { runCommand } from '@oclif/test';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRoot, runCli } from './run-cli.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasTorchvision = spawnSync(PYTHON, ['-c', 'import torchvision'], { stdio: 'ignore' }).status === 0;
const FIXTURE_SCRIPT = join(cliRoot, '..', 'interop', 'test', 'fixtures', 'torchvision_fixture.py');

describe.skipIf(!hasTorchvision)('convkit export', () => {
  const folder = mkdtempSync(join(tmpdir(), 'convkit-cli-export-'));
  const imported = join(folder, 'googlenet');

  beforeAll(async () => {
    execFileSync(PYTHON, [FIXTURE_SCRIPT, folder, 'googlenet', '--input', '64', '--classes', '20'], { stdio: 'ignore' });
    const result = await runCommand(
      [
        'import',
        '--arch',
        'googlenet-tv',
        '--weights',
        join(folder, 'googlenet.safetensors'),
        '--out',
        imported,
        '--arch-options',
        '{"numClasses":20,"inputShape":[64,64,3]}',
      ],
      { root: cliRoot },
    );
    expect(result.error).toBeUndefined();
  }, 180_000);

  it("--format onnx: onnxruntime-node on the exported file gives torchvision's logits (googlenet-tv, within 1e-4 relative)", async () => {
    const file = join(folder, 'googlenet.onnx');
    const exported = await runCommand(['export', '--model', imported, '--format', 'onnx', '--out', file, '--json'], { root: cliRoot });
    expect(exported.error).toBeUndefined();
    expect(JSON.parse(exported.stdout).opTypes).toEqual(
      expect.arrayContaining(['Conv', 'BatchNormalization', 'MaxPool', 'Concat', 'Gemm']),
    );
    const io = await readSafetensors(join(folder, 'googlenet.io.safetensors'));
    const tensor = (name: string) => io.tensors.get(name)!;
    const session = await ort.InferenceSession.create(file);
    const input = tensor('input');
    const results = await session.run({ input: new ort.Tensor('float32', decodeToFloat32(input.bytes, input.dtype), input.shape) });
    const actual = results.output!.data as Float32Array;
    const expected = decodeToFloat32(tensor('logits').bytes, 'F32');
    const scale = Math.max(...expected.map(Math.abs));
    expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!))) / scale).toBeLessThan(1e-4);
    await session.release();
  });

  it("--fold-batch-norm: no BatchNormalization node left, and still torchvision's logits (googlenet-tv, within 1e-4 relative)", async () => {
    const file = join(folder, 'googlenet-folded.onnx');
    const exported = await runCommand(['export', '--model', imported, '--format', 'onnx', '--fold-batch-norm', '--out', file, '--json'], {
      root: cliRoot,
    });
    expect(exported.error).toBeUndefined();
    expect(JSON.parse(exported.stdout).opTypes).not.toContain('BatchNormalization');
    const io = await readSafetensors(join(folder, 'googlenet.io.safetensors'));
    const input = io.tensors.get('input')!;
    const session = await ort.InferenceSession.create(file);
    const results = await session.run({ input: new ort.Tensor('float32', decodeToFloat32(input.bytes, input.dtype), input.shape) });
    const actual = results.output!.data as Float32Array;
    const expected = decodeToFloat32(io.tensors.get('logits')!.bytes, 'F32');
    const scale = Math.max(...expected.map(Math.abs));
    expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!))) / scale).toBeLessThan(1e-4);
    await session.release();
  });

  it('--format tfjs-uint8 writes a quarter of the weight bytes and says how far the outputs moved', async () => {
    const result = await runCommand(['export', '--model', imported, '--format', 'tfjs-uint8', '--out', join(folder, 'uint8'), '--json'], {
      root: cliRoot,
    });
    expect(result.error).toBeUndefined();
    const { sourceBytes, exportedBytes, outputDifference } = JSON.parse(result.stdout);
    expect(exportedBytes * 4).toBe(sourceBytes);
    expect(outputDifference).toBeGreaterThan(0);
    expect(existsSync(join(folder, 'uint8', 'convkit-import.json'))).toBe(true);
  });

  it('a folder without a model is one line naming it', async () => {
    const result = await runCli(['export', '--model', folder, '--format', 'onnx', '--out', join(folder, 'x.onnx'), '--backend', 'cpu']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^convkit: no model in .* \(model\.json not found\)/);
  });
});

it('convkit export --help shows examples of every format', async () => {
  const { stdout } = await runCommand(['export', '--help'], { root: cliRoot });
  for (const format of ['onnx', 'tfjs-uint8', 'tfjs-float16']) expect(stdout).toContain(`--format ${format}`);
});
