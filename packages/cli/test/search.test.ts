import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeIdxDataset } from './idx-fixture.js';
import { isolatedHome, runCli } from './run-cli.js';

// 8x8 images, the smallest the search network's two reductions halve evenly: what these cases prove
// (the command's output, files, resume and refusals) does not depend on the image size.
const SEARCH_SIDE = 8;

describe('convkit search (the built bin/run.js)', () => {
  it('searches, writes a genotype file that `convkit train --arch darts` trains, reports skip-connects per epoch, and refuses a bad order or --max-skip in one line', async () => {
    const data = writeIdxDataset('none', 16, 8, SEARCH_SIDE);
    const out = join(mkdtempSync(join(tmpdir(), 'convkit-search-cli-')), 'search');
    const tiny = ['--data', data, '--channels', '2', '--layers', '3', '--epochs', '2', '--batch-size', '4', '--backend', 'tensorflow'];
    const search = await runCli(['search', ...tiny, '--out', out], isolatedHome());
    expect(search.stderr).toContain('backend tensorflow');
    expect(search.status).toBe(0);
    expect(search.stdout).toMatch(/epoch 1\/2 {2}loss \d+\.\d{4} {2}val loss \d+\.\d{4} .* ETA \d+s/);
    expect(search.stdout).toMatch(/epoch 2\/2 .* ETA 0s/);
    expect(search.stdout).toMatch(/ {2}normal: \w+<-\d/);
    expect(search.stdout).toMatch(/ {2}skip-connects: normal \d, reduce \d; ranking unchanged \d+\n/);
    for (const file of ['genotype.json', 'alphas.json', 'epoch-001/alphas.png', 'epoch-002/genotype.json']) {
      expect(existsSync(join(out, file))).toBe(true);
    }

    const again = await runCli(['search', ...tiny, '--out', out, '--resume', '--json'], isolatedHome());
    expect(again.status).toBe(0);
    const json = JSON.parse(again.stdout.trim().split('\n').at(-1) as string);
    expect(json.genotypeFile).toBe(join(out, 'genotype.json'));
    expect(json.genotype).toEqual(JSON.parse(readFileSync(join(out, 'genotype.json'), 'utf8')).genotype);
    // the rates reach the search's settings: a resume at other rates than the search's is refused
    for (const rate of [
      ['--learning-rate', '0.05'],
      ['--arch-learning-rate', '1e-3'],
      ['--arch-weight-decay', '0'],
    ]) {
      const other = await runCli(['search', ...tiny, '--out', out, '--resume', ...rate], isolatedHome());
      expect(other.status, rate.join(' ')).not.toBe(0);
      expect(other.stderr.trim().split('\n').at(-1)).toMatch(
        /"learningRate":0.025,"minLearningRate":0.001,"archLearningRate":0.0003,"archWeightDecay":0.001,.*resume with the same settings/,
      );
    }

    const run = join(out, '..', 'train');
    const archOptions = JSON.stringify({ genotype: json.genotypeFile, channels: 4, layers: 3 });
    const train = await runCli(
      [
        'train',
        '--arch',
        'darts',
        '--arch-options',
        archOptions,
        '--data',
        data,
        '--epochs',
        '1',
        '--batch-size',
        '8',
        '--validation-split',
        '0',
        '--backend',
        'cpu',
        '--out',
        run,
        '--json',
      ],
      isolatedHome(),
    );
    expect(train.status).toBe(0);
    expect(JSON.parse(train.stdout.trim().split('\n').at(-1) as string).arch).toBe('darts');

    const bad = await runCli(['search', ...tiny, '--out', out, '--order', '3'], isolatedHome());
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--order/);

    const badChannels = await runCli(['search', ...tiny, '--out', out, '--method', 'pc-darts'], isolatedHome());
    expect(badChannels.status).not.toBe(0);
    // it fails after the backend is chosen (stderr's first line): the reason is the last line, without a stack
    expect(badChannels.stderr.trim().split('\n').at(-1)).toMatch(
      /with partial channels K=4 the channels must be a multiple of 2K=8 .*got 2, try --channels 8/,
    );
    expect(badChannels.stderr).not.toMatch(/^\s+at /m);

    const badTable = await runCli(
      ['search', ...tiny, '--out', out, '--latency-weight', '1', '--latency-table', join(out, 'nope.json')],
      isolatedHome(),
    );
    expect(badTable.status).not.toBe(0);
    expect(badTable.stderr.trim().split('\n').at(-1)).toMatch(/latency table .*nope.json not found/);
    expect(badTable.stderr).not.toMatch(/^\s+at /m);

    const badSkip = await runCli(['search', ...tiny, '--out', out, '--max-skip', '0'], isolatedHome());
    expect(badSkip.status).not.toBe(0);
    expect(badSkip.stderr.trim().split('\n')).toHaveLength(1);
    expect(badSkip.stderr).toMatch(/--max-skip/);
  }, 600_000);

  it('--method pdarts runs its stages, writes a genotype file that `convkit train --arch darts` trains, and refuses misplaced options in one line', async () => {
    const data = writeIdxDataset('none', 16, 8, SEARCH_SIDE);
    const out = join(mkdtempSync(join(tmpdir(), 'convkit-pdarts-cli-')), 'search');
    const pdarts = ['--data', data, '--method', 'pdarts', '--channels', '2', '--batch-size', '4', '--backend', 'tensorflow'];
    const stages = ['--stage-layers', '3,4', '--stage-ops', '8,4', '--skip-dropout', '0.2,0.4', '--epochs', '2', '--skip-cap', '1'];
    const search = await runCli(['search', ...pdarts, ...stages, '--out', out], isolatedHome());
    expect(search.status).toBe(0);
    expect(search.stdout).toMatch(/epoch 1\/4 .*\n(.*\n){3} {2}stage 1: warm-up \(weights only\), skip dropout 0\.100\n/);
    expect(search.stdout).toMatch(/epoch 4\/4 .*\n(.*\n){3} {2}stage 2: alphas trained, skip dropout 0\.400\n/);
    expect(search.stdout).toMatch(/ {2}skip-connects: normal \d, reduce \d; ranking unchanged \d+\n/);
    const file = join(out, 'genotype.json');
    const genotype = JSON.parse(readFileSync(file, 'utf8')).genotype;
    expect(genotype.normal.filter(([op]: [string]) => op === 'skip_connect').length).toBeLessThanOrEqual(1);
    const alphas = JSON.parse(readFileSync(join(out, 'epoch-004', 'alphas.json'), 'utf8')).alphas;
    expect(alphas.normal[0]).toHaveLength(4);

    const archOptions = JSON.stringify({ genotype: file, channels: 4, layers: 3 });
    const trainArgs = ['--arch', 'darts', '--arch-options', archOptions, '--data', data, '--epochs', '1', '--batch-size', '8'];
    const train = await runCli(
      ['train', ...trainArgs, '--validation-split', '0', '--backend', 'cpu', '--out', join(out, '..', 'train'), '--json'],
      isolatedHome(),
    );
    expect(train.status).toBe(0);
    expect(JSON.parse(train.stdout.trim().split('\n').at(-1) as string).arch).toBe('darts');

    for (const [args, reason] of [
      [['--layers', '5'], /P-DARTS sets the depth per stage; give --stage-layers/],
      [['--stage-ops', '5,3,2'], /stage ops must start at all 8 and fall stage by stage/],
    ] as const) {
      const bad = await runCli(['search', ...pdarts, ...args, '--out', join(out, 'bad')], isolatedHome());
      expect(bad.status).not.toBe(0);
      expect(bad.stderr.trim().split('\n').at(-1)).toMatch(reason);
      expect(bad.stderr).not.toMatch(/^\s+at /m);
    }
    const misplaced = await runCli(['search', '--data', data, '--skip-cap', '2', '--out', join(out, 'bad')], isolatedHome());
    expect(misplaced.status).not.toBe(0);
    expect(misplaced.stderr.trim().split('\n').at(-1)).toMatch(/--skip-cap is a P-DARTS option; add --method pdarts/);
  }, 600_000);

  it("--latency-weight reports the genotype's predicted and measured latency each epoch, at the end, in genotype.json and in --json", async () => {
    const data = writeIdxDataset('none', 8, 4, SEARCH_SIDE);
    const out = join(mkdtempSync(join(tmpdir(), 'convkit-search-latency-')), 'search');
    const tiny = ['--data', data, '--channels', '2', '--layers', '3', '--epochs', '1', '--batch-size', '4', '--backend', 'cpu'];
    const search = await runCli(['search', ...tiny, '--latency-weight', '0.01', '--out', out], isolatedHome());
    expect(search.status).toBe(0);
    const ms = '(\\d+\\.\\d{2}) ms';
    const epoch = search.stdout.match(new RegExp(` {2}latency: expected ${ms}, genotype predicted ${ms}, measured ${ms}\n`));
    const final = search.stdout.match(new RegExp(`genotype latency: predicted ${ms}, measured ${ms}\n`));
    const file = JSON.parse(readFileSync(join(out, 'genotype.json'), 'utf8')).latency;
    expect(file.measured).toBeGreaterThan(0);
    expect([final?.[1], final?.[2]]).toEqual([file.predicted.toFixed(2), file.measured.toFixed(2)]);
    expect([epoch?.[2], epoch?.[3]]).toEqual([final?.[1], final?.[2]]);

    const again = await runCli(['search', ...tiny, '--latency-weight', '0.01', '--out', out, '--resume', '--json'], isolatedHome());
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1) as string).latency).toEqual(file);
  }, 300_000);
});
