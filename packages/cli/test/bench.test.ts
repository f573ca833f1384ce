import { runCommand } from '@oclif/test';
import { describe, expect, it } from 'vitest';
import { cliRoot } from './run-cli.js';

describe('convkit bench', () => {
  it('measures a registered model on the backends asked for', async () => {
    const { stdout, error } = await runCommand(
      ['bench', '--model', 'lenet5', '--mode', 'inference', '--batch-size', '2', '--budget-ms', '10', '--backends', 'cpu', '--json'],
      { root: cliRoot },
    );
    expect(error).toBeUndefined();
    const { models, ops } = JSON.parse(stdout);
    expect(ops).toEqual([]);
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ arch: 'lenet5', mode: 'inference', batchSize: 2, inputShape: [32, 32, 1], backend: 'cpu' });
    expect(models[0].imagesPerSecond).toBeGreaterThan(0);
  });

  it("lists a model step's slowest kernels with --profile, and the JSON holds every kernel's calls", async () => {
    const args = ['bench', '--model', 'lenet5', '--mode', 'train-step', '--batch-size', '2', '--budget-ms', '10', '--backends', 'cpu'];
    const { stdout, error } = await runCommand([...args, '--profile'], { root: cliRoot });
    expect(error).toBeUndefined();
    expect(stdout).toMatch(/lenet5 train-step on cpu: \d+ kernel calls, [\d.]+ ms of kernel time in one profiled step/);
    expect(stdout).toMatch(/kernel\s+calls\s+ms\s+share/);
    // Which kernels are slowest depends on the machine's load; that the rows are kernels, slowest first, does not.
    const rows = [...stdout.matchAll(/^(\S+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)%$/gm)].map((m) => ({ name: m[1]!, ms: Number(m[3]) }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(8);
    expect(rows.map((r) => r.ms)).toEqual([...rows.map((r) => r.ms)].sort((a, b) => b - a));
    const json = await runCommand([...args, '--json'], { root: cliRoot });
    const [timing] = JSON.parse(json.stdout).models;
    expect(timing.kernels.reduce((sum: number, k: { calls: number }) => sum + k.calls, 0)).toBe(timing.kernelCalls);
    const kernelNames = new Set(timing.kernels.map((k: { name: string }) => k.name));
    for (const { name } of rows) expect(kernelNames).toContain(name);
  });

  it('measures a single op at the given shape, forward and backward', async () => {
    const { stdout, error } = await runCommand(
      ['bench', '--op', 'dense', '--shape', '4x16', '--filters', '8', '--backward', '--budget-ms', '10', '--backends', 'cpu', '--json'],
      { root: cliRoot },
    );
    expect(error).toBeUndefined();
    const [op] = JSON.parse(stdout).ops;
    expect(op).toMatchObject({ op: 'dense', backend: 'cpu', shape: { input: [4, 16], filters: 8, mode: 'forward-backward' } });
  });

  it('says in one line when there is nothing to measure, or the shape is not one', async () => {
    const none = await runCommand(['bench'], { root: cliRoot });
    expect(none.stderr.trim()).toBe('convkit: nothing to measure; pass --model NAME or --op NAME (see --help)');
    const shape = await runCommand(['bench', '--op', 'conv2d', '--shape', '8xbig'], { root: cliRoot });
    expect(shape.stderr.trim()).toBe('convkit: --shape 8xbig is invalid; expected positive dimensions like 8x32x32x64');
  });
});
