import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@oclif/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeIdxDataset } from './idx-fixture.js';
import { cliRoot, isolatedHome, runCli } from './run-cli.js';

// LeNet-5 on 64 images for one epoch keeps each run to seconds even on the plain-JavaScript backend.
const quick = ['--epochs', '1', '--batch-size', '32', '--validation-split', '0', '--backend', 'cpu'];

function snapshot(folder: string): Record<string, number> {
  const files: Record<string, number> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[path] = statSync(path).mtimeMs;
    }
  };
  walk(folder);
  return files;
}

describe('convkit train and eval', () => {
  const data = writeIdxDataset();
  let out = '';

  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'convkit-cli-train-')), 'run');
  });

  it('trains lenet5 and prints the final JSON line with the documented keys', async () => {
    const { stdout, error } = await runCommand(['train', '--arch', 'lenet5', ...quick, '--data', data, '--out', out, '--json'], {
      root: cliRoot,
    });
    expect(error).toBeUndefined();
    const lines = stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1] as string);
    expect(Object.keys(result)).toEqual([
      'arch',
      'dataset',
      'epochs',
      'testAccuracy',
      'testLoss',
      'imagesPerSecond',
      'backend',
      'engine',
      'out',
    ]);
    expect(result).toMatchObject({ arch: 'lenet5', epochs: 1, backend: 'cpu', engine: 'eager', out });
    // The printed scores are the run's: accuracy is the confusion matrix's trace over its total.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const confusion: number[][] = summary.confusion;
    const total = confusion.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(32);
    expect(result.testAccuracy).toBe(confusion.reduce((hits, row, k) => hits + (row[k] as number), 0) / total);
    expect(result.testLoss).toBe(summary.testLoss);
    expect(result.testLoss).toBeGreaterThan(0);
    for (const file of ['metrics.jsonl', 'training-curve.svg', 'summary.json', 'model/model.json', 'checkpoints/latest.json']) {
      expect(statSync(join(out, file)).size).toBeGreaterThan(0);
    }
  });

  it('evaluates the trained model: loss, top-1, top-5 and a confusion matrix', async () => {
    const { stdout, error } = await runCommand(['eval', '--model', out, '--backend', 'cpu', '--json'], { root: cliRoot });
    expect(error).toBeUndefined();
    const result = JSON.parse(stdout);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(result.top1).toBeCloseTo(summary.testAccuracy, 10);
    expect(result.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(32);
  });

  it('as a child process says which backend runs, then prints a per-epoch table and a summary line', async () => {
    const run = join(mkdtempSync(join(tmpdir(), 'convkit-cli-table-')), 'run');
    const { status, stdout, stderr } = await runCli(['train', '--arch', 'lenet5', ...quick, '--data', data, '--out', run], isolatedHome());
    expect(status).toBe(0);
    expect(stderr).toMatch(/^backend cpu on CPU \(plain JavaScript\)$/m);
    expect(stdout).toMatch(/epoch\s+loss\s+acc/);
    expect(stdout).toMatch(/lenet5 on .*: test accuracy \d+\.\d\d% .* on cpu \(eager engine\); saved to/);
  });

  // Each case points at the finished run above, with --resume, so "nothing overwritten" is checked
  // against real files; a fresh --out would make it trivially true.
  describe('bad input: non-zero exit, one line on stderr, nothing overwritten', () => {
    const cases: [string, string[], RegExp][] = [
      ['a missing dataset path', ['--data', '/no/such/dataset'], /dataset path \/no\/such\/dataset does not exist/],
      ['an IDX file with a wrong magic number', ['--data', writeIdxDataset('wrong-magic')], /magic number 0x00000801, expected 0x00000803/],
      ['a truncated IDX file', ['--data', writeIdxDataset('truncated')], /is truncated/],
      ['a label count that differs from the image count', ['--data', writeIdxDataset('count-mismatch')], /63 labels but .* 64 images/],
      ['an unknown architecture', ['--data', data, '--arch', 'lenet6'], /unknown architecture "lenet6"; did you mean "lenet5"/],
      ['--lr -1', ['--data', data, '--lr', '-1'], /--lr -1 is invalid/],
      ['a run resumed on another dataset', ['--data', 'shapes'], /was trained on/],
      ['a checkpoint from another architecture', ['--data', data, '--arch', 'alexnet'], /is from architecture "lenet5", not "alexnet"/],
      ['a new run into a folder that holds one', ['--data', data, '--no-resume'], /already holds a training run/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const before = snapshot(out);
        const arch = args.includes('--arch') ? [] : ['--arch', 'lenet5'];
        const resume = args.includes('--no-resume') ? [] : ['--resume'];
        const rest = args.filter((a) => a !== '--no-resume');
        const { status, stderr } = await runCli(['train', ...arch, ...quick, '--out', out, ...resume, ...rest], isolatedHome());
        expect(status).toBe(1);
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(stderr).toMatch(message);
        expect(snapshot(out)).toEqual(before);
      });
    }
  });

  it('refuses a model whose input does not fit the data before creating the output folder', async () => {
    const fresh = join(mkdtempSync(join(tmpdir(), 'convkit-cli-fit-')), 'run');
    const { status, stderr } = await runCli(['train', '--arch', 'alexnet', ...quick, '--data', data, '--out', fresh], isolatedHome());
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/alexnet needs an input of at least 67x67 pixels .* got 28x28/);
    expect(() => statSync(fresh)).toThrow();
  });
});

describe('convkit data', () => {
  it('info describes a dataset folder', async () => {
    const { stdout, error } = await runCommand(['data', 'info', writeIdxDataset(), '--json'], { root: cliRoot });
    expect(error).toBeUndefined();
    const info = JSON.parse(stdout);
    expect(info.shape).toEqual([28, 28, 1]);
    expect([info.train.count, info.test.count]).toEqual([64, 32]);
  });

  it('download refuses a dataset it does not know, listing those it does', async () => {
    const { error, stderr } = await runCommand(['data', 'download', 'imagenet'], { root: cliRoot });
    expect(error?.oclif?.exit).toBe(1);
    expect(stderr.trim()).toMatch(
      /^convkit: Expected imagenet to be one of: fashion-mnist, mnist, cifar10, cifar100, shapes(;.*)? \(see --help\)$/,
    );
  });
});
