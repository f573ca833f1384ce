import { plugin as classicPlugin } from '@convkit/arch-classic';
import { initBackend, Registry } from '@convkit/core';
import { runCommand } from '@oclif/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRoot, isolatedHome, runCli } from './run-cli.js';

describe('convkit models (core plugins found through oclif.plugins)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('lists lenet5 with the parameter count tfjs countParams() gives', async () => {
    const { stdout, error } = await runCommand(['models', 'list', '--json', '--backend', 'cpu'], { root: cliRoot });
    expect(error).toBeUndefined();
    const lenet = (JSON.parse(stdout) as { name: string }[]).find((row) => row.name === 'lenet5');
    const model = new Registry().use(classicPlugin).create('lenet5');
    expect(lenet).toEqual({
      name: 'lenet5',
      family: 'lenet',
      tags: ['mnist'],
      plugin: '@convkit/arch-classic',
      params: model.countParams(),
      trainableParams: 61_706,
      macs: 422_824,
      flops: 845_648,
      input: [32, 32, 1],
    });
  });

  it('filters by family', async () => {
    const { stdout } = await runCommand(['models', 'list', '--json', '--family', 'lenet', '--backend', 'cpu'], { root: cliRoot });
    expect(new Set((JSON.parse(stdout) as { family: string }[]).map((r) => r.family))).toEqual(new Set(['lenet']));
  });

  it('keeps under --tag attention --tag cifar exactly the CIFAR attention variants, tags and all', async () => {
    const { stdout, error } = await runCommand(['models', 'list', '--json', '--tag', 'attention', '--tag', 'cifar', '--backend', 'cpu'], {
      root: cliRoot,
    });
    expect(error).toBeUndefined();
    expect((JSON.parse(stdout) as { name: string; tags: string[] }[]).map((r) => [r.name, r.tags])).toEqual([
      ['se-resnet20', ['cifar', 'residual', 'attention', 'se']],
      ['cbam-resnet20', ['cifar', 'residual', 'attention', 'cbam']],
    ]);
  });

  it('says in one line that no architecture has an unknown tag, listing the known ones', async () => {
    const { status, stdout, stderr } = await runCli(['models', 'list', '--tag', 'atention'], isolatedHome());
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^convkit: no registered architecture has tag "atention"; known tags: attention, cbam, cifar, imagenet, mnist, mobile, nas, non-local, residual, se, torchvision$/m,
    );
  });

  it('lists the CIFAR ResNets of @convkit/arch-modern under --family resnet, with their trainable parameters', async () => {
    const { stdout, error } = await runCommand(['models', 'list', '--json', '--family', 'resnet', '--backend', 'cpu'], { root: cliRoot });
    expect(error).toBeUndefined();
    const rows = (JSON.parse(stdout) as { name: string; plugin: string; trainableParams: number }[]).filter((r) => r.name === 'resnet20');
    expect(rows).toEqual([expect.objectContaining({ name: 'resnet20', plugin: '@convkit/arch-modern', trainableParams: 269_722 })]);
  });

  it("summarizes resnet50 with torchvision's parameters, MACs within 2% of its 4.09 G and the 17/16 C^2 bottleneck weights", async () => {
    const { stdout, error } = await runCommand(['models', 'summary', 'resnet50', '--json', '--backend', 'cpu'], { root: cliRoot });
    expect(error).toBeUndefined();
    const summary = JSON.parse(stdout) as {
      layers: { name: string; params: number; receptiveField: { height: { size: number } } }[];
      totals: { trainableParams: number; macs: number };
    };
    expect(summary.totals.trainableParams).toBe(25_557_032);
    expect(Math.abs(summary.totals.macs / 4.09e9 - 1)).toBeLessThan(0.02);
    const params = (name: string) => summary.layers.find((l) => l.name === name)?.params;
    const C = 1024; // layer3's bottlenecks: 1x1 1024 -> 256, 3x3 256 -> 256, 1x1 256 -> 1024
    expect((params('layer3.1.conv1') ?? 0) + (params('layer3.1.conv2') ?? 0) + (params('layer3.1.conv3') ?? 0)).toBe((17 / 16) * C * C);
    expect(summary.layers.find((l) => l.name === 'layer4.2.act')?.receptiveField.height.size).toBe(427);
  });

  it("shows SE-ResNet-20's nine SE modules' own costs: 5,784 trainable parameters, 2.1% of the network, +0.43% MACs", async () => {
    const { stdout, error } = await runCommand(['models', 'summary', 'se-resnet20', '--json', '--backend', 'cpu'], { root: cliRoot });
    expect(error).toBeUndefined();
    const { attention } = JSON.parse(stdout) as {
      attention: {
        modules: { module: string; kind: string }[];
        trainableParams: { total: number; share: number };
        macs: { added: number };
      };
    };
    expect(attention.modules).toHaveLength(9);
    expect(attention.modules[0]).toMatchObject({ module: 'stage1.block1.attn', kind: 'se', params: 280 });
    expect(attention.trainableParams.total).toBe(5_784);
    expect((100 * attention.trainableParams.share).toPrecision(2)).toBe('2.1');
    expect((100 * attention.macs.added).toPrecision(2)).toBe('0.43');
    const text = await runCommand(['models', 'summary', 'se-resnet20', '--backend', 'cpu'], { root: cliRoot });
    expect(text.stdout).toMatch(/^stage1\.block1\.attn\s+se\s+280\s+33K$/m);
    expect(text.stdout).toMatch(
      /^9 modules: trainable params 5,784 \(2\.1% of the network, \+2\.1% over it without them\), MACs 177K \(0\.43%, \+0\.43%\)$/m,
    );
  });

  it('summarizes lenet5 layer by layer as the hand-worked table says', async () => {
    const { stdout } = await runCommand(['models', 'summary', 'lenet5', '--json', '--backend', 'cpu'], { root: cliRoot });
    const summary = JSON.parse(stdout) as {
      layers: {
        name: string;
        outputShape: number[];
        params: number;
        macs: number;
        receptiveField: { height: { size: number; jump: number }; global: boolean };
      }[];
      totals: { params: number; macs: number; flops: number };
    };
    const table = summary.layers.map((l) => [
      l.name,
      l.outputShape.join('x'),
      l.params,
      l.macs,
      l.receptiveField.global ? 'global' : `${l.receptiveField.height.size}/${l.receptiveField.height.jump}`,
    ]);
    // Pooling counts one op per window element; receptive field size/jump: r' = r + (k-1)j, j' = j*s.
    expect(table).toEqual([
      ['input', '32x32x1', 0, 0, '1/1'],
      ['c1', '28x28x6', 6 * 25 + 6, 28 * 28 * 6 * 25, '5/1'],
      ['s2', '14x14x6', 0, 14 * 14 * 6 * 4, '6/2'],
      ['c3', '10x10x16', 16 * 25 * 6 + 16, 10 * 10 * 16 * 25 * 6, '14/2'],
      ['s4', '5x5x16', 0, 5 * 5 * 16 * 4, '16/4'],
      ['c5', '1x1x120', 120 * 25 * 16 + 120, 120 * 25 * 16, '32/4'],
      ['flatten', '120', 0, 0, 'global'],
      ['f6', '84', 84 * 120 + 84, 84 * 120, 'global'],
      ['output', '10', 10 * 84 + 10, 10 * 84, 'global'],
    ]);
    expect(summary.totals).toMatchObject({ params: 61_706, macs: 422_824, flops: 845_648 });
  });

  it('summarizes at another input size: 28x28 digits are padded to 32x32', async () => {
    const { stdout } = await runCommand(['models', 'summary', 'lenet5', '--input', '28x28x1', '--json', '--backend', 'cpu'], {
      root: cliRoot,
    });
    const summary = JSON.parse(stdout) as { input: number[]; layers: { name: string; outputShape: number[] }[] };
    expect(summary.input).toEqual([28, 28, 1]);
    expect(summary.layers.find((l) => l.name === 'c1')?.outputShape).toEqual([28, 28, 6]);
  });

  it('prints a readable table with totals from the built CLI', async () => {
    const { status, stdout } = await runCli(['models', 'summary', 'lenet5', '--backend', 'cpu'], isolatedHome());
    expect(status).toBe(0);
    expect(stdout).toMatch(/^c5\s+Conv2D\s+1x1x120\s+48,120\s+48K\s+32x32$/m);
    expect(stdout).toMatch(/total params 61,706 \(trainable 61,706\), MACs 423K, FLOPs 846K/);
  });

  it('says in one line that an unknown architecture is unknown and names close matches', async () => {
    const { status, stdout, stderr } = await runCli(['models', 'summary', 'nosuchnet'], isolatedHome());
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^convkit: unknown architecture "nosuchnet"; (did you mean|known: lenet5)/);
  });
});
