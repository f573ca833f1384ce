import { diagnoseTensorflow } from '@convkit/core';
import { runCommand } from '@oclif/test';
import { describe, expect, it } from 'vitest';
import { cliRoot, isolatedHome, runCli } from './run-cli.js';

const hasTfjsNode = (await diagnoseTensorflow(false)).available;

describe('convkit doctor', () => {
  it('reports node, each backend in order with availability, and the backend it selects', async () => {
    const { stdout, error } = await runCommand(['doctor', '--json', '--backend', 'cpu'], { root: cliRoot });
    expect(error).toBeUndefined();
    const report = JSON.parse(stdout);
    expect(report.node).toBe(process.version);
    expect(report.backends.map((b: { backend: string }) => b.backend)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    expect(report.tfjs['@tensorflow/tfjs-backend-wasm']).toBe('4.22.0');
    expect(report.selected).toEqual({ backend: 'cpu', device: 'CPU (plain JavaScript)' });
  });

  it.skipIf(hasTfjsNode)('with CONVKIT_BACKEND=tensorflow and no tfjs-node says what to install, without a stack trace', async () => {
    const { status, stderr } = await runCli(['doctor'], { ...isolatedHome(), CONVKIT_BACKEND: 'tensorflow' });
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /convkit: backend "tensorflow" \(from CONVKIT_BACKEND\) cannot load: .*; fix: .*(npm install @tensorflow\/tfjs-node|provision-libtensorflow)/,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('prints the stack only with --verbose', async () => {
    const plain = await runCli(['doctor', '--backend', 'tensorflow-gpu'], isolatedHome());
    const verbose = await runCli(['doctor', '--backend', 'tensorflow-gpu', '--verbose'], isolatedHome());
    expect(plain.status).toBe(1);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    expect(verbose.stderr).toMatch(/^\s+at /m);
  });

  it('rejects an unknown --backend value with the valid ones', async () => {
    const { error, stderr } = await runCommand(['doctor', '--backend', 'cuda'], { root: cliRoot });
    expect(error?.oclif?.exit).toBe(1);
    expect(stderr.trim()).toBe('convkit: Expected --backend=cuda to be one of: auto, tensorflow-gpu, tensorflow, wasm, cpu (see --help)');
  });
});
