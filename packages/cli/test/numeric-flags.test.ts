import { Config } from '@oclif/core';
import { runCommand } from '@oclif/test';
import { describe, expect, it } from 'vitest';
import { cliRoot } from './run-cli.js';

// A numeric flag shows its range as its help value (see numberFlag); these are the values each must refuse.
const REFUSED: Record<string, string[]> = {
  'INT>0': ['0', '-1', '2.5', 'abc', ''],
  'INT>=0': ['-1', '2.5', 'abc', 'Infinity'],
  'NUM>0': ['0', '-1', 'abc', 'NaN', 'Infinity'],
  'NUM>=0': ['-1', 'abc', 'Infinity'],
  '0<=NUM<1': ['-0.1', '1', 'abc'],
  '0<=NUM<=1': ['-0.1', '1.5', 'abc'],
  '0<NUM<1': ['0', '1', 'abc'],
  'NUM,NUM,...': ['-1', '1,x', ''],
};

const config = await Config.load(cliRoot);
const commands = config.commands.filter((command) => command.pluginName === '@convkit/cli');
const numericFlags = commands.flatMap((command) =>
  Object.entries(command.flags).flatMap(([name, flag]) => {
    const range = (flag as { helpValue?: string }).helpValue;
    return range && REFUSED[range] ? [{ command: command.id, flag: name, range }] : [];
  }),
);

describe('every numeric flag of every command refuses values that make no sense, in one line with exit 1', () => {
  it('finds the numeric flags of train, eval, predict and data info', () => {
    const withNumbers = new Set(numericFlags.map((f) => f.command));
    for (const id of ['train', 'eval', 'predict', 'data:info']) expect(withNumbers, id).toContain(id);
    expect(numericFlags.length).toBeGreaterThan(15);
  });

  for (const { command, flag, range } of numericFlags) {
    it(`${command.replace(':', ' ')} --${flag} (${range})`, async () => {
      for (const value of REFUSED[range] as string[]) {
        const { error, stderr, stdout } = await runCommand([...command.split(':'), `--${flag}=${value}`], { root: cliRoot });
        expect(error?.oclif?.exit, `--${flag}=${value}`).toBe(1);
        expect(stdout).toBe('');
        const lines = stderr.trim().split('\n');
        expect(lines, `--${flag}=${value}`).toEqual([expect.stringMatching(new RegExp(`^convkit: --${flag} .* is invalid; expected `))]);
      }
    });
  }
});
