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
const weights = (out: string) => JSON.parse(readFileSync(join(out, 'model', 'model.json'), 'utf8')).convkit.weightsSha256;

describe('convkit train --resume after SIGKILL', () => {
  it('ends with the same weights as a run that was never interrupted', async () => {
    const data = writeIdxDataset('none', 320, 32);
    const root = mkdtempSync(join(tmpdir(), 'convkit-cli-kill-'));
    const args = (out: string) => [
      'train',
      '--arch',
      'lenet5',
      '--data',
      data,
      '--epochs',
      '2',
      '--batch-size',
      '16',
      '--augment',
      'crop:2,flip',
      '--seed',
      '3',
      '--backend',
      'cpu',
      '--out',
      out,
    ];
    const straight = join(root, 'straight');
    expect((await runCli(args(straight), isolatedHome())).status).toBe(0);

    const killed = join(root, 'killed');
    const child = spawn(process.execPath, [join(cliRoot, 'bin', 'run.js'), ...args(killed)], {
      env: { ...process.env, ...isolatedHome() },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // A child that dies before its first checkpoint fails the SIGKILL check below instead of hanging here.
    while (latestEpoch(killed) < 1 && child.exitCode === null && child.signalCode === null) await sleep(20);
    // A third of an epoch into epoch 2, going by how long epoch 1 took.
    const entries = readFileSync(join(killed, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const firstEpoch = entries.find((e) => e.type === 'epoch').seconds as number;
    await sleep((firstEpoch * 1000) / 3);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(latestEpoch(killed)).toBe(1);

    const resumed = await runCli([...args(killed), '--resume'], isolatedHome());
    expect(resumed.status).toBe(0);
    expect(weights(killed)).toBe(weights(straight));
  });
});
