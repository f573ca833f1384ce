import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends } from '@convkit/core/testing';
import { describe, expect, it } from 'vitest';

const child = join(import.meta.dirname, 'fixtures', 'train-child.mjs');

type Engine = 'eager' | 'graph';

function start(
  out: string,
  engine: Engine,
  resume = false,
): { process: ChildProcess; lines: string[]; exit: Promise<{ code: number | null; signal: string | null }> } {
  const proc = spawn(process.execPath, [child, out, resume ? 'resume' : 'fresh', engine], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) process.stderr.write(stderr);
      resolve({ code, signal });
    }),
  );
  return { process: proc, lines, exit };
}

const weightsOf = async (out: string) =>
  JSON.parse(await readFile(join(out, 'model', 'model.json'), 'utf8')).convkit.weightsSha256 as string;

// The graph engine needs the tensorflow backend; the eager run is on cpu, which always loads.
const engines: Engine[] = ['eager', ...((await testBackends()).includes('tensorflow') ? (['graph'] as const) : [])];

describe.each(engines)('resume after SIGKILL on the %s engine', (engine) => {
  it('a run killed mid-epoch and resumed ends with the same weights as an uninterrupted run', async () => {
    const root = await mkdtemp(join(tmpdir(), 'convkit-kill-'));
    const straight = start(join(root, 'straight'), engine);
    expect((await straight.exit).code).toBe(0);

    const killed = start(join(root, 'killed'), engine);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (killed.lines.includes('2 3')) {
          clearInterval(timer);
          killed.process.kill('SIGKILL');
          resolve();
        } else if (killed.lines.some((line) => line.startsWith('done'))) {
          clearInterval(timer);
          reject(new Error('the run finished before it could be killed'));
        }
      }, 5);
    });
    expect((await killed.exit).signal).toBe('SIGKILL');
    expect(JSON.parse(await readFile(join(root, 'killed', 'checkpoints', 'latest.json'), 'utf8')).epoch).toBe(1);

    const resumed = start(join(root, 'killed'), engine, true);
    expect((await resumed.exit).code).toBe(0);
    // The resumed process starts at epoch 2: the epoch in flight was lost, nothing before it.
    expect(resumed.lines[0]).toBe('2 1');
    expect(straight.lines.at(-1)).toBe(`done ${engine}`);
    expect(resumed.lines.at(-1)).toBe(`done ${engine}`);
    expect(await weightsOf(join(root, 'killed'))).toBe(await weightsOf(join(root, 'straight')));
  });
});
