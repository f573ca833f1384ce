import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIdxDataset } from './idx-fixture.js';
import { type RedisServer, startRedis } from './redis-server.js';
import { cliRoot, isolatedHome, runCli } from './run-cli.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MINUTES = 60_000;

interface Report {
  trials: { id: string; state: string; value?: number; reason?: string; dir: string }[];
  counts: Record<string, number>;
}

const root = mkdtempSync(join(tmpdir(), 'convkit-sweep-'));
const data = writeIdxDataset('none', 96, 32);
const base = { arch: 'lenet5', data, epochs: 2, batchSize: 16 };
// Six trials on the cpu backend, whose results are the same bit for bit in any process.
const sixTrials = join(root, 'six.json');
writeFileSync(sixTrials, JSON.stringify({ backend: 'cpu', base, grid: { seed: [0, 1, 2], lr: [0.01, 0.001] } }));

const env = () => ({ ...process.env, CONVKIT_BACKEND: '', ...isolatedHome() });
const cli = (args: string[]) =>
  spawn(process.execPath, [join(cliRoot, 'bin', 'run.js'), ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
const weights = (dir: string) => JSON.parse(readFileSync(join(dir, 'model', 'model.json'), 'utf8')).convkit.weightsSha256 as string;
const attempts = (dir: string) =>
  existsSync(join(dir, 'attempts.jsonl'))
    ? readFileSync(join(dir, 'attempts.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { event: string; pid: number; resumed?: boolean })
    : [];
const checkpointed = (dir: string) =>
  existsSync(join(dir, 'checkpoints', 'latest.json'))
    ? (JSON.parse(readFileSync(join(dir, 'checkpoints', 'latest.json'), 'utf8')).epoch as number)
    : 0;
const trialDirs = (out: string) =>
  existsSync(join(out, 'trials')) ? readdirSync(join(out, 'trials')).map((id) => join(out, 'trials', id)) : [];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Runs a command to its end, collecting its output. */
function finished(child: ChildProcess): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => {
    stdout += c;
  });
  child.stderr?.on('data', (c) => {
    stderr += c;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr })));
}

function startWorkers(url: string, count: number, stallSeconds: number): ChildProcess[] {
  return Array.from({ length: count }, () => {
    const child = cli(['worker', '--queue', url, '--stall-seconds', String(stallSeconds)]);
    child.stdout?.resume();
    child.stderr?.resume();
    return child;
  });
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers
      .filter((w) => w.exitCode === null && w.signalCode === null)
      .map((w) => {
        const exited = new Promise((resolve) => w.once('exit', resolve));
        w.kill('SIGTERM');
        return exited;
      }),
  );
}

let local: Report;
const localDir = join(root, 'local');

beforeAll(async () => {
  const result = await finished(cli(['sweep', '--config', sixTrials, '--out', localDir, '--parallel', '3', '--json']));
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  local = JSON.parse(result.stdout) as Report;
}, 10 * MINUTES);

describe('convkit sweep on this machine', () => {
  it('runs the six trials of the grid to completion, ranked by test accuracy', () => {
    expect(local.counts).toEqual({ done: 6, failed: 0, running: 0, pending: 0 });
    const values = local.trials.map((t) => t.value as number);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    expect(existsSync(join(localDir, 'sweep.svg')) && existsSync(join(localDir, 'sweep.png'))).toBe(true);
  });
});

describe('convkit sweep --queue with convkit workers on a real redis-server', () => {
  let redis: RedisServer;
  let workers: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis({ persist: true });
  });
  afterAll(async () => {
    await stopWorkers(workers);
    await redis?.stop();
  });

  it(
    'a worker SIGKILLed mid-trial: another continues the trial from its checkpoint, and the results equal the local run',
    async () => {
      workers = startWorkers(redis.url, 3, 2);
      const out = join(root, 'queued');
      const sweep = finished(cli(['sweep', '--config', sixTrials, '--out', out, '--queue', redis.url, '--json']));
      let victim: { dir: string; pid: number } | undefined;
      const pids = workers.map((w) => w.pid);
      // The first trial that has checkpointed epoch 1 of 2 and is still in its first attempt.
      while (!victim) {
        for (const dir of trialDirs(out)) {
          const a = attempts(dir);
          const pid = a[0]?.pid;
          if (a.length === 1 && checkpointed(dir) === 1 && pids.includes(pid)) victim = { dir, pid: pid as number };
        }
        await sleep(50);
      }
      process.kill(victim.pid, 'SIGKILL');
      const result = await sweep;
      expect(result.status).toBe(0);
      const queued = JSON.parse(result.stdout) as Report;
      expect(queued.counts).toEqual({ done: 6, failed: 0, running: 0, pending: 0 });
      for (const trial of local.trials) {
        const twin = queued.trials.find((t) => t.id === trial.id);
        expect(twin?.value).toBe(trial.value);
        expect(weights(join(out, 'trials', trial.id))).toBe(weights(trial.dir));
      }
      // The killed trial was started twice, the second time from its checkpoint, and completed once.
      const killed = attempts(victim.dir);
      expect(killed.map((a) => [a.event, a.resumed])).toEqual([
        ['start', false],
        ['start', true],
        ['done', undefined],
      ]);
      expect(killed[1]?.pid).not.toBe(victim.pid);
      // No epoch trained twice into its log (no orphaned training kept going), no trial completed twice.
      const epochs = readFileSync(join(victim.dir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((e) => e.type === 'epoch')
        .map((e) => e.epoch);
      expect(epochs).toEqual([1, 2]);
      for (const dir of trialDirs(out)) expect(attempts(dir).filter((a) => a.event === 'done')).toHaveLength(1);
      // Nothing half-written: no temporary file left, every JSON file whole.
      const all = files(out);
      expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      for (const f of all.filter((f) => f.endsWith('.json'))) expect(() => JSON.parse(readFileSync(f, 'utf8'))).not.toThrow();
    },
    15 * MINUTES,
  );

  it(
    'redis-server restarted mid-sweep: workers reconnect and the sweep completes; an invalid trial fails with its reason, the rest finish',
    async () => {
      await stopWorkers(workers);
      workers = startWorkers(redis.url, 2, 5);
      const config = join(root, 'restart.json');
      // Two trials of the local sweep, and one whose options train cannot take.
      writeFileSync(config, JSON.stringify({ backend: 'cpu', base, variants: [{ seed: 0, lr: 0.01 }, { seed: 1, lr: 0.01 }, { lr: -1 }] }));
      const out = join(root, 'restart');
      const sweep = finished(cli(['sweep', '--config', config, '--out', out, '--queue', redis.url, '--json']));
      while (!trialDirs(out).some((dir) => attempts(dir).some((a) => a.event === 'start'))) await sleep(50);
      await redis.restart();
      const result = await sweep;
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout) as Report;
      expect(report.counts).toEqual({ done: 2, failed: 1, running: 0, pending: 0 });
      for (const trial of report.trials.filter((t) => t.state === 'done')) {
        const twin = local.trials.find((t) => t.id === trial.id);
        expect(trial.value).toBe(twin?.value);
        expect(weights(trial.dir)).toBe(weights(twin?.dir as string));
      }
      const status = await runCli(['sweep', 'status', '--out', out], isolatedHome());
      expect(status.status).toBe(0);
      const failedLine = status.stdout.split('\n').find((l) => l.includes('failed'));
      // Its state, no metric, no seed of its own, lr -1, and the reason train gave.
      expect(failedLine).toMatch(/failed\s+-\s+-\s+-1\s+--lr -1 is invalid; expected a positive number such as 0\.01$/);
      expect(status.stdout).toContain('2 done, 1 failed, 0 running, 0 pending');
    },
    15 * MINUTES,
  );
});
