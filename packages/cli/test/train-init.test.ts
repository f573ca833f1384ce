import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeIdxDataset } from './idx-fixture.js';
import { keepClasses, writeImageFolder } from './image-fixture.js';
import { isolatedHome, runCli } from './run-cli.js';

const quick = ['--epochs', '1', '--batch-size', '32', '--validation-split', '0', '--backend', 'cpu'];

/** The shapes image folder cut down to its first three classes, so a 10-class model must be re-headed for it. */
function threeClassFolder(): string {
  const folder = writeImageFolder(96, 48);
  keepClasses(folder, 3);
  return folder;
}

describe('convkit train --init (the built CLI)', () => {
  const root = mkdtempSync(join(tmpdir(), 'convkit-cli-init-'));
  const pretrained = join(root, 'pretrained');

  beforeAll(async () => {
    const { status, stderr } = await runCli(
      ['train', '--arch', 'lenet5', ...quick, '--data', writeIdxDataset(), '--out', pretrained],
      isolatedHome(),
    );
    expect(status, stderr).toBe(0);
  }, 180_000);

  it('fine-tunes a 10-class lenet5 on 3 classes: the architecture comes from the folder and the classifier is re-headed', async () => {
    const out = join(root, 'fine-tuned');
    const { status, stdout, stderr } = await runCli(
      ['train', '--init', pretrained, ...quick, '--data', threeClassFolder(), '--out', out],
      isolatedHome(),
    );
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/starting from \S+pretrained\/model: \d+ weights loaded; re-headed output for the data's classes/);
    expect(stdout).toContain('lenet5 on');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.classNames).toHaveLength(3);
    expect(summary.init.reheaded).toEqual(['output']);
  }, 180_000);

  it('a missing folder and a wrong --arch are one-line errors and a failing exit code', async () => {
    for (const args of [
      ['--init', join(root, 'no-such-run')],
      ['--init', pretrained, '--arch', 'alexnet'],
    ]) {
      const { status, stderr } = await runCli(['train', ...args, ...quick, '--out', join(root, 'refused')], isolatedHome());
      expect(status).not.toBe(0);
      expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
      expect(stderr).toContain('--init');
    }
  }, 120_000);
});
