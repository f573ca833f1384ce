import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runCommand } from '@oclif/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeImageFolder } from './image-fixture.js';
import { cliRoot, isolatedHome, runCli } from './run-cli.js';

describe('convkit predict', () => {
  const images = writeImageFolder(128, 48);
  const out = join(mkdtempSync(join(tmpdir(), 'convkit-cli-predict-')), 'run');

  beforeAll(async () => {
    const trained = await runCommand(
      [
        'train',
        '--arch',
        'lenet5',
        '--data',
        images,
        '--epochs',
        '2',
        '--batch-size',
        '32',
        '--lr',
        '0.003',
        '--backend',
        'cpu',
        '--out',
        out,
        '--json',
      ],
      { root: cliRoot },
    );
    expect(trained.error).toBeUndefined();
  });

  it('classifies the test images with the accuracy `convkit eval` reports', async () => {
    const evaluated = await runCommand(['eval', '--model', out, '--backend', 'cpu', '--json'], { root: cliRoot });
    const predicted = await runCommand(['predict', '--model', out, join(images, 'test'), '--top', '3', '--backend', 'cpu', '--json'], {
      root: cliRoot,
    });
    expect(predicted.error).toBeUndefined();
    const { predictions } = JSON.parse(predicted.stdout) as {
      predictions: { file: string; top: { className: string; probability: number }[] }[];
    };
    expect(predictions).toHaveLength(48);
    const correct = predictions.filter((p) => p.top[0]?.className === basename(dirname(p.file))).length;
    expect(correct / predictions.length).toBe(JSON.parse(evaluated.stdout).top1);
    for (const { top } of predictions) {
      expect(top).toHaveLength(3);
      expect(top[0]?.probability).toBeGreaterThanOrEqual(top[1]?.probability as number);
    }
  });

  it('prints one line per image with class names and probabilities, and says once that the images were resized', async () => {
    const file = join(images, 'test', 'circle');
    const { status, stdout, stderr } = await runCli(['predict', '--model', out, file, '--top', '2', '--backend', 'cpu'], isolatedHome());
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')[0]).toMatch(/^\S+\.png: [\w-]+ \d+\.\d%, [\w-]+ \d+\.\d%$/);
    expect(stderr.match(/warning/g)).toHaveLength(1);
    expect(stderr).toMatch(/convkit: warning: images of .*circle resized from 28x28 to 32x32$/m);
  });

  it('refuses a missing image and a missing model in one line', async () => {
    const missing = await runCli(['predict', '--model', out, '/no/such.png', '--backend', 'cpu'], isolatedHome());
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('convkit: /no/such.png does not exist; pass image files (PNG, JPEG) or folders of them');
    const model = await runCli(['predict', '--model', '/no/model', join(images, 'test'), '--backend', 'cpu'], isolatedHome());
    expect(model.status).toBe(1);
    expect(model.stderr.trim().split('\n')).toHaveLength(1);
    expect(model.stderr).toMatch(/no convkit-trained model in \/no\/model/);
  });
});
