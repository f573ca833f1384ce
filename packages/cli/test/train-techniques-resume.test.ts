import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends } from '@convkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeIdxDataset } from './idx-fixture.js';
import { cliRoot, isolatedHome, runCli } from './run-cli.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const latestEpoch = (out: string) =>
  existsSync(join(out, 'checkpoints', 'latest.json')) ? readJson(join(out, 'checkpoints', 'latest.json')).epoch : 0;
const weights = (out: string, folder = 'model') => readJson(join(out, folder, 'model.json')).convkit.weightsSha256 as string;
/** The epoch lines of metrics.jsonl without what the clock decides. */
const epochs = (out: string) =>
  readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.type === 'epoch')
    .map(({ time: _t, seconds: _s, imagesPerSecond: _i, ...rest }) => rest);

/** Starts `convkit train` and SIGKILLs it a third of the way into epoch 2, going by how long epoch 1 took. */
async function killInSecondEpoch(args: string[]): Promise<void> {
  const out = args[args.indexOf('--out') + 1] as string;
  const child: ChildProcess = spawn(process.execPath, [join(cliRoot, 'bin', 'run.js'), ...args], {
    env: { ...process.env, CONVKIT_BACKEND: '', ...isolatedHome() },
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  while (latestEpoch(out) < 1 && child.exitCode === null && child.signalCode === null) await sleep(20);
  const first = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .find((e) => e.type === 'epoch');
  await sleep((first.seconds * 1000) / 3);
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(latestEpoch(out)).toBe(1);
}

let data: string;
let teacher: string;
const root = mkdtempSync(join(tmpdir(), 'convkit-cli-techniques-'));
const common = ['--data', '', '--batch-size', '16', '--seed', '5'];

beforeAll(async () => {
  data = writeIdxDataset('none', 192, 32);
  common[1] = data;
  teacher = join(root, 'teacher');
  const trained = await runCli(
    ['train', '--arch', 'lenet5', ...common, '--epochs', '1', '--backend', 'cpu', '--out', teacher],
    isolatedHome(),
  );
  expect(trained.status, trained.stderr).toBe(0);
});

const resnet = ['--arch', 'resnet20', '--arch-options', '{"widthMultiplier":0.25}', '--optimizer', 'sgd', '--lr', '0.05'];
const cases: [string, string[], string[]][] = [
  // A loss weighted 3,000 overflows float16 at the first scales, so the scale halves during both epochs.
  ['the loss scaler', ['--arch', 'lenet5', '--precision', 'fp16', '--loss-weights', '3000'], []],
  ['the teacher', ['--arch', 'lenet5', '--teacher', '<teacher>', '--kd-temperature', '4', '--kd-alpha', '0.3'], []],
  ['the EMA weights', ['--arch', 'lenet5', '--ema', '0.9'], ['model-ema']],
  ['the resize stage', [...resnet, '--progressive-resize', '16:0,28:1'], []],
];
const backends: string[] = ['cpu', ...((await testBackends()).includes('tensorflow') ? ['tensorflow'] : [])];

describe('convkit train --resume after SIGKILL continues every training technique', () => {
  it.each(cases)('%s: the resumed run ends as the uninterrupted one (weights and epoch metrics)', async (name, flags, folders) => {
    const given = flags.map((flag) => (flag === '<teacher>' ? teacher : flag));
    const args = (out: string) => ['train', ...given, ...common, '--epochs', '2', '--backend', 'cpu', '--out', out];
    const straight = join(root, `${name}-straight`);
    const ran = await runCli(args(straight), isolatedHome());
    expect(ran.status, ran.stderr).toBe(0);
    const killed = join(root, `${name}-killed`);
    await killInSecondEpoch(args(killed));
    // Nothing but the folder: the technique's options and state come from the checkpoint.
    const resumed = await runCli(['train', '--out', killed, '--resume', '--backend', 'cpu'], isolatedHome());
    expect(resumed.status, resumed.stderr).toBe(0);
    for (const folder of ['model', ...folders]) expect(weights(killed, folder)).toBe(weights(straight, folder));
    expect(epochs(killed)).toEqual(epochs(straight));
    if (name === 'the loss scaler') expect(epochs(straight).map((e) => e.skippedSteps)).not.toContain(0);
  });

  it.skipIf(!backends.includes('tensorflow'))(
    'the resize stage on the graph engine: the resumed run compiles the second stage and ends as the uninterrupted one',
    async () => {
      const args = (out: string) => [
        'train',
        ...resnet,
        '--progressive-resize',
        '16:0,28:1',
        ...common,
        '--epochs',
        '2',
        '--backend',
        'tensorflow',
        '--out',
        out,
      ];
      const straight = join(root, 'graph-straight');
      const ran = await runCli(args(straight), isolatedHome());
      expect(ran.status, ran.stderr).toBe(0);
      expect(readJson(join(straight, 'summary.json')).engine).toBe('graph');
      const killed = join(root, 'graph-killed');
      await killInSecondEpoch(args(killed));
      const resumed = await runCli(['train', '--out', killed, '--resume', '--backend', 'tensorflow'], isolatedHome());
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(weights(killed)).toBe(weights(straight));
      expect(epochs(killed)).toEqual(epochs(straight));
    },
  );
});
