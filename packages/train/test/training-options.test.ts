import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainOptionsMarkdown } from '../src/options/options-markdown.js';
import { flagOf, resolveTrainOptions, TRAIN_OPTION_NAMES, TRAIN_OPTIONS, type TrainOptionSpec } from '../src/options/training-options.js';

const README = join(import.meta.dirname, '..', 'README.md');
const START = '<!-- train-options:start -->';
const END = '<!-- train-options:end -->';

// Values no option of each flag type accepts.
const INVALID: Record<string, unknown[]> = {
  integer: [-1, 1.5, Number.NaN, '3'],
  number: [-1, Number.NaN, Number.POSITIVE_INFINITY, '0.1'],
  numbers: [[-1], ['a'], 0.3],
  choice: ['nope', 1],
  text: [3],
};

describe('the training options table', () => {
  it("is what the train README's options table says (regenerate: node scripts/write-options-table.mjs)", async () => {
    const readme = await readFile(README, 'utf8');
    const table = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END)).trim();
    expect(table).toBe(trainOptionsMarkdown());
  });

  it('fills every default when nothing is given, and derives the learning rate from the optimizer', () => {
    const values = resolveTrainOptions({});
    const derived: string[] = ['lr', 'lossScale'];
    for (const name of TRAIN_OPTION_NAMES) {
      if (!derived.includes(name)) expect(values[name], name).toEqual(TRAIN_OPTIONS[name].default);
    }
    expect(values.lr).toBe(0.001);
    expect(resolveTrainOptions({ optimizer: 'sgd' }).lr).toBe(0.01);
    expect(values.lossScale).toBe('off');
    expect(resolveTrainOptions({ precision: 'fp16' }).lossScale).toBe('dynamic');
    expect(resolveTrainOptions({ precision: 'fp16', lossScale: 'off' }).lossScale).toBe('off');
  });

  for (const name of TRAIN_OPTION_NAMES) {
    const spec: TrainOptionSpec<unknown> = TRAIN_OPTIONS[name];
    it(`--${flagOf(name)} refuses values that are not ${spec.kind.expected}, in one line naming the flag`, () => {
      const invalid = [...(INVALID[spec.kind.flagType] ?? [])];
      if (spec.kind.expected.startsWith('a positive')) invalid.push(0);
      for (const value of invalid) {
        expect(() => resolveTrainOptions({ [name]: value }), `${name} = ${String(value)}`).toThrow(
          new RegExp(`^--${flagOf(name)} .* is invalid; expected `),
        );
      }
      if (spec.default !== null) expect(() => resolveTrainOptions({ [name]: spec.default })).not.toThrow();
    });
  }

  it('refuses a warm-up longer than the run', () => {
    expect(() => resolveTrainOptions({ epochs: 2, warmupEpochs: 3 })).toThrow('--warmup 3 is invalid; expected between 0 and --epochs (2)');
  });
});
