import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeIdxDataset } from './idx-fixture.js';
import { cliRoot, isolatedHome, runCli } from './run-cli.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const latestEpoch = (out: string) =>
  existsSync(join(out, 'checkpoints', 'latest.json')) ? JSON.parse(readFileSync(join(out, 'checkpoints', 'latest.json'), 'utf8')).epoch : 0;

describe('convkit train interrupted with Ctrl-C', () => {
  it('prints the resume command, which continues the run and says where', async () => {
    const data = writeIdxDataset('none', 320, 32);
    const out = join(mkdtempSync(join(tmpdir(), 'convkit-cli-sigint-')), 'run');
    const home = isolatedHome();
    const child = spawn(
      process.execPath,
      [
        join(cliRoot, 'bin', 'run.js'),
        'train',
        '--arch',
        'lenet5',
        '--data',
        data,
        '--epochs',
        '3',
        '--batch-size',
        '16',
        '--backend',
        'cpu',
        '--out',
        out,
      ],
      { env: { ...process.env, ...home } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    while (latestEpoch(out) < 1 && child.exitCode === null) await sleep(20);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const line = stderr.trim().split('\n').at(-1) as string;
    expect(line).toMatch(/^convkit: interrupted; epoch [12] is checkpointed\. Continue with: convkit train --out \S+ --resume$/);

    const resumeArgs = (line.split('Continue with: convkit ')[1] as string).split(' ');
    const resumed = await runCli([...resumeArgs, '--backend', 'cpu'], home);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`^resuming ${out} at epoch [23] of 3$`, 'm'));
    expect(resumed.stdout).toMatch(/lenet5 on .*: test accuracy/);
  });
});
