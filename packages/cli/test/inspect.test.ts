import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@oclif/test';
import { describe, expect, it } from 'vitest';
import { cliRoot, runCli } from './run-cli.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Runs `convkit inspect <name> --arch lenet5 ... --json` in-process and returns the parsed result. */
async function inspectLenet(name: string, extra: string[] = []) {
  const out = mkdtempSync(join(tmpdir(), `convkit-cli-inspect-${name}-`));
  const { stdout, error } = await runCommand(['inspect', name, '--arch', 'lenet5', '--backend', 'cpu', '--out', out, '--json', ...extra], {
    root: cliRoot,
  });
  expect(error).toBeUndefined();
  return JSON.parse(stdout) as { inspection: string; arch: string; layer?: string; files: string[]; data: Record<string, unknown> };
}

describe('convkit inspect', () => {
  it.each([
    ['filters', ['filters.png']],
    ['frequency', ['spectra.png']],
    ['feature-maps', ['input.png', 'feature-maps.png']],
    ['erf', ['erf.png']],
    ['equivariance', ['equivariance.png']],
    ['gradcam', ['gradcam.png']],
    ['gradient-flow', ['gradient-flow.png']],
  ])('%s writes %j as PNG files and its numbers under --json', async (name, pictures) => {
    const result = await inspectLenet(name);
    expect(result.inspection).toBe(name);
    expect(result.files.map((f) => f.split('/').at(-1))).toEqual(pictures);
    for (const file of result.files) expect([...readFileSync(file).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(Object.keys(result.data).length).toBeGreaterThan(0);
  });

  it('attention draws the non-local weights of the query pixel of nonlocal-resnet50, one line per module, and names the PNG', async () => {
    const out = mkdtempSync(join(tmpdir(), 'convkit-cli-inspect-attention-'));
    const args = [
      'inspect',
      'attention',
      '--arch',
      'nonlocal-resnet50',
      '--input',
      '64x64x3',
      '--query',
      '36,4',
      '--backend',
      'cpu',
      '--out',
      out,
    ];
    const { stdout, error } = await runCommand(args, { root: cliRoot });
    expect(error).toBeUndefined();
    // res4 of a 64x64 input is a 4x4 map of cells centred 16 pixels apart from (0, 0), its phi pooled to 2x2: pixel (36, 4) is nearest cell (2, 0)
    expect(stdout).toMatch(/^ {2}layer3\.4\.nonlocal: query pixel 36,4 \(cell 2,0\) over 2x2 keys, peak [01]\.\d{3}$/m);
    expect(stdout).toContain(`wrote ${join(out, 'non-local.png')}`);
    expect([...readFileSync(join(out, 'non-local.png')).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const { status, stderr } = await runCli(['inspect', 'attention', '--arch', 'lenet5', '--backend', 'cpu', '--out', out]);
    expect(status).toBe(1);
    expect(stderr.trim()).toMatch(/^convkit: lenet5 has no SE, CBAM or non-local module; inspect an attention variant/m);
  });

  it('measures the named layer: the theoretical receptive field of C3 is 14x14 (5 + 1 + 4·2)', async () => {
    const result = await inspectLenet('erf', ['--layer', 'c3']);
    expect(result.layer).toBe('c3');
    expect(result.data.theoretical).toEqual([14, 14]);
  });

  it('an unknown layer is one line offering the closest names, with a non-zero exit', async () => {
    const out = mkdtempSync(join(tmpdir(), 'convkit-cli-inspect-bad-'));
    const { status, stdout, stderr } = await runCli([
      'inspect',
      'filters',
      '--arch',
      'lenet5',
      '--layer',
      'c33',
      '--out',
      out,
      '--backend',
      'cpu',
    ]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    // The backend line, then the error alone: no stack without --verbose.
    expect(stderr.trim().split('\n')).toEqual([
      'backend cpu on CPU (plain JavaScript)',
      'convkit: lenet5 has no layer c33; did you mean c3, c1, c5?',
    ]);
  });

  it('refuses --model together with --arch', async () => {
    const { status, stderr } = await runCli(['inspect', 'erf', '--arch', 'lenet5', '--model', 'x', '--out', '/tmp/x']);
    expect(status).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
