import { z } from 'zod';
import { parseResizeSchedule } from '../techniques/resize-schedule.js';

/** How a command line spells an option's value: what the CLI parses before the schema checks it. */
export type FlagType = 'integer' | 'number' | 'numbers' | 'choice' | 'text';

/** The type of one option: its zod schema, how a flag spells it, and the expected value in words. */
export interface OptionKind<T> {
  schema: z.ZodType<T>;
  flagType: FlagType;
  /** What a valid value is, for error messages and the docs: `a positive integer`. */
  expected: string;
  /** The allowed names of a `choice`. */
  choices?: readonly string[];
  /** The range of a number in short (`INT>0`, `0<=NUM<1`), as the CLI shows it for the flag's value. */
  range?: string;
}

const finite = z.number().finite();

function numeric(schema: z.ZodType<number>, flagType: 'integer' | 'number', expected: string, range: string): OptionKind<number> {
  return { schema, flagType, expected, range };
}

/** Kinds of option values; each option of the table is one of these. */
export const kinds = {
  positiveInteger: () => numeric(z.number().int().positive(), 'integer', 'a positive integer', 'INT>0'),
  nonNegativeInteger: () => numeric(z.number().int().nonnegative(), 'integer', 'an integer >= 0', 'INT>=0'),
  positive: (example: string) => numeric(finite.positive(), 'number', `a positive number such as ${example}`, 'NUM>0'),
  nonNegative: () => numeric(finite.nonnegative(), 'number', 'a number >= 0', 'NUM>=0'),
  /** A number in [0, 1). */
  fraction: () => numeric(finite.nonnegative().lt(1), 'number', 'a number in [0, 1)', '0<=NUM<1'),
  /** A number in [0, 1]. */
  unitInterval: () => numeric(finite.min(0).max(1), 'number', 'a number in [0, 1]', '0<=NUM<=1'),
  /** A number in (0, 1), such as a decay rate. */
  openFraction: (example: string) => numeric(finite.gt(0).lt(1), 'number', `a number in (0, 1) such as ${example}`, '0<NUM<1'),
  nonNegativeList: (): OptionKind<number[]> => ({
    schema: z.array(finite.nonnegative()),
    flagType: 'numbers',
    expected: 'comma-separated numbers >= 0',
  }),
  choice: <const T extends readonly [string, ...string[]]>(names: T): OptionKind<T[number]> => ({
    schema: z.enum(names as unknown as [T[number], ...T[number][]]),
    flagType: 'choice',
    expected: `one of ${names.join(', ')}`,
    choices: names,
  }),
  text: (expected: string): OptionKind<string> => ({ schema: z.string(), flagType: 'text', expected }),
  /** A progressive-resizing schedule, `SIZE:START_EPOCH,...` (see {@link parseResizeSchedule}). */
  resizeSchedule: (): OptionKind<string> => ({
    schema: z.string().refine((text) => parseResizeSchedule(text) !== undefined),
    flagType: 'text',
    expected: 'sizes from epochs such as 16:0,24:3,32:6 (SIZE:START_EPOCH, the first at 0, later ones at later epochs)',
  }),
};
