import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelImages } from '@convkit/train';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { keepClasses, writeImageFolder } from './image-fixture.js';
import { cliRoot, isolatedHome, runCli } from './run-cli.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasTorchvision = spawnSync(PYTHON, ['-c', 'import torchvision'], { stdio: 'ignore' }).status === 0;
const FIXTURE_SCRIPT = join(cliRoot, '..', 'interop', 'test', 'fixtures', 'torchvision_fixture.py');
/** resnet18 at 32x32 trains an epoch of 96 images in seconds; its five stride-2 stages end at 1x1. */
const INPUT = '{"inputShape":[32,32,3]}';

async function cli(args: string[]): Promise<string> {
  const { status, stdout, stderr } = await runCli(args, isolatedHome());
  expect(status, `convkit ${args.join(' ')}: ${stderr}`).toBe(0);
  return stdout;
}

const softmax = (logits: Float32Array) => {
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
};

describe.skipIf(!hasTorchvision)('the full loop: torchvision -> import -> train --init -> export onnx -> onnxruntime', () => {
  it("resnet18's torchvision weights, fine-tuned one epoch on 3 classes, predict the same classes in onnxruntime-node as in convkit", async () => {
    const root = mkdtempSync(join(tmpdir(), 'convkit-full-loop-'));
    // torchvision's resnet18 with random weights and its 1000-class head, as a .pt state_dict would be converted.
    execFileSync(PYTHON, [FIXTURE_SCRIPT, root, 'resnet18', '--input', '32'], { stdio: 'ignore' });
    const imported = join(root, 'imported');
    await cli(['import', '--arch', 'resnet18', '--weights', join(root, 'resnet18.safetensors'), '--out', imported]);

    const data = writeImageFolder(96, 30, 32);
    keepClasses(data, 3);
    const run = join(root, 'run');
    const { stderr } = await runCli(
      [
        'train',
        '--init',
        imported,
        '--arch-options',
        INPUT,
        '--data',
        data,
        '--epochs',
        '1',
        '--batch-size',
        '16',
        '--lr',
        '0.001',
        '--validation-split',
        '0',
        '--out',
        run,
      ],
      isolatedHome(),
    );
    expect(stderr).toMatch(/starting from \S+imported: 100 weights loaded; re-headed fc for the data's classes/);
    expect(JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')).classNames).toHaveLength(3);

    const onnxFile = join(root, 'resnet18.onnx');
    await cli(['export', '--model', run, '--format', 'onnx', '--out', onnxFile]);
    const predicted = JSON.parse(await cli(['predict', '--model', run, join(data, 'test'), '--json']));

    // onnxruntime-node on the same files, read as convkit reads them for the model (resized, normalized).
    const files: string[] = predicted.predictions.map((p: { file: string }) => p.file);
    expect(files.length).toBe(readdirSync(join(data, 'test'), { recursive: true }).filter((f) => String(f).endsWith('.png')).length);
    const metadata = JSON.parse(readFileSync(join(run, 'model', 'convkit-train.json'), 'utf8'));
    const { images } = await readModelImages(files, metadata);
    const [h, w, c] = metadata.inputShape as number[];
    const nchw = new Float32Array(images.length);
    for (let n = 0; n < files.length; n++)
      for (let y = 0; y < h!; y++)
        for (let x = 0; x < w!; x++)
          for (let k = 0; k < c!; k++) nchw[((n * c! + k) * h! + y) * w! + x] = images[((n * h! + y) * w! + x) * c! + k]!;
    const session = await ort.InferenceSession.create(onnxFile);
    const { output } = await session.run({ input: new ort.Tensor('float32', nchw, [files.length, c!, h!, w!]) });
    await session.release();
    const logits = output!.data as Float32Array;
    let largest = 0;
    files.forEach((_, n) => {
      const probabilities = softmax(logits.subarray(3 * n, 3 * n + 3));
      const best = probabilities.indexOf(Math.max(...probabilities));
      const top = predicted.predictions[n].top[0];
      expect(best, files[n]).toBe(top.label);
      largest = Math.max(largest, Math.abs(probabilities[best]! - top.probability));
    });
    expect(largest).toBeLessThan(1e-4);
  }, 240_000);
});
