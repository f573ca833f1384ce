import { ConvkitError } from '@convkit/core';
import {
  flagOf,
  type OptionKind,
  TRAIN_OPTION_NAMES,
  TRAIN_OPTIONS,
  type TrainOptionName,
  type TrainOptionSpec,
  type TrainOptionValues,
} from '@convkit/train';
import { Flags } from '@oclif/core';

/** Reads a number as a user writes it (`64`, `1e-3`); anything else is NaN, which every kind refuses. */
function readNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** Checks a flag's value against its kind's zod schema; a bad value is a one-line error naming the flag. */
function checked<T>(flag: string, kind: OptionKind<T>, value: unknown, text: string): T {
  const parsed = kind.schema.safeParse(value);
  if (!parsed.success) throw new ConvkitError('bad-option', `--${flag} ${text} is invalid; expected ${kind.expected}`);
  return parsed.data;
}

/**
 * A numeric flag of any command, checked by one of `@convkit/train`'s option kinds (so `--epochs`
 * and `--batch-size` of every command refuse the same values): oclif's `Flags.integer` takes integers
 * only and prints a three-line error, while `--lr 1e-3` must work and `--top 0` must be one line.
 * The kind's range is the flag's help value (`--top=INT>0`); the all-commands flag test reads it.
 */
export function numberFlag(options: { description: string; kind: OptionKind<number>; default?: number }) {
  const { kind, ...rest } = options;
  return Flags.custom<number>({
    ...rest,
    ...(kind.range ? { helpValue: kind.range } : {}),
    parse: async (text, _context, flag) => checked(flag.name, kind, readNumber(text), text),
  })();
}

/** A flag of comma-separated numbers (`--stage-layers 5,11,17`), checked by a list kind of `@convkit/train`. */
export function numberListFlag(options: { description: string; kind: OptionKind<number[]> }) {
  const { kind, description } = options;
  return Flags.custom<number[]>({
    description,
    helpValue: 'NUM,NUM,...',
    parse: async (text, _context, flag) => checked(flag.name, kind, text.split(',').map(readNumber), text),
  })();
}

function describe(spec: TrainOptionSpec<unknown>): string {
  const shown = spec.defaultText ?? (Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default));
  return `${spec.description} (default ${shown === '' ? 'none' : shown})`;
}

function trainFlag(name: TrainOptionName) {
  const spec: TrainOptionSpec<unknown> = TRAIN_OPTIONS[name];
  const flag = flagOf(name);
  const description = describe(spec);
  switch (spec.kind.flagType) {
    case 'integer':
    case 'number':
      return Flags.custom<unknown>({
        description,
        ...(spec.kind.range ? { helpValue: spec.kind.range } : {}),
        parse: async (text) => checked(flag, spec.kind, readNumber(text), text),
      })();
    case 'numbers':
      return numberListFlag({ description, kind: spec.kind as OptionKind<number[]> });
    case 'choice':
      return Flags.string({ description, options: [...(spec.kind.choices ?? [])] });
    case 'text':
      return Flags.string({ description });
  }
}

/**
 * One flag per training option of `@convkit/train`'s table, named, described and checked as the
 * table says. No flag has an oclif default: a flag not given stays undefined, so `train()` fills the
 * table's default and a resume can tell a flag given again from one left out.
 */
export function trainOptionFlags(): Record<string, ReturnType<typeof trainFlag>> {
  return Object.fromEntries(TRAIN_OPTION_NAMES.map((name) => [flagOf(name), trainFlag(name)]));
}

/** The training options among parsed flags (each already checked by its schema), keyed by option name, only those given. */
export function trainOptionsFromFlags(flags: Record<string, unknown>): Partial<TrainOptionValues> {
  return Object.fromEntries(
    TRAIN_OPTION_NAMES.filter((name) => flags[flagOf(name)] !== undefined).map((name) => [name, flags[flagOf(name)]]),
  );
}
