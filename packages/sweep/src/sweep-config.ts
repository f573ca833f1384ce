import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { BACKEND_ORDER, ConvkitError, closestNames } from '@convkit/core';
import { flagOf, TRAIN_OPTION_NAMES, type TrainOptionName } from '@convkit/train';
import { parse as parseYaml } from 'yaml';
import { METRICS, type MetricName } from './metrics.js';

/** Keys a trial may set besides the training options: what is trained, on what. */
export const RUN_KEYS = ['arch', 'archOptions', 'data'] as const;

/** A key of a trial's options: a training option of `TRAIN_OPTIONS`, or `arch`, `archOptions`, `data`. */
export type TrialKey = TrainOptionName | (typeof RUN_KEYS)[number];

/** The options of one trial, as `convkit train` takes them (option names, not flags). */
export type TrialOptions = Partial<Record<TrialKey, unknown>>;

/** A range a random search samples from: uniform, log-uniform, a uniform integer, or a list to pick from. */
export type SearchRange = { uniform: [number, number] } | { logUniform: [number, number] } | { int: [number, number] } | unknown[];

/** A sweep as its config file declares it. */
export interface SweepConfig {
  /** Options every trial takes. */
  base: TrialOptions;
  /** Values to combine: every combination is a trial (the cartesian product). */
  grid: Partial<Record<TrialKey, unknown[]>>;
  /** A random search: `trials` samples from `space`, drawn from `seed`. */
  random?: { trials: number; seed: number; space: Partial<Record<TrialKey, SearchRange>> };
  /** Architectures or genotypes to try: each row is crossed with the grid or the random samples. */
  variants: TrialOptions[];
  /** The metric trials are ranked by. */
  metric: MetricName;
  /** The compute backend every trial asks for (results are compared within one backend). */
  backend?: string;
}

const TRIAL_KEYS: readonly string[] = [...RUN_KEYS, ...TRAIN_OPTION_NAMES];
const TOP_KEYS = ['base', 'grid', 'random', 'variants', 'metric', 'backend'] as const;

function fail(file: string, problem: string): never {
  throw new ConvkitError('bad-sweep-config', `${file}: ${problem}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "did you mean" for a key: the closest names, and the option a `convkit train` flag spelling stands for. */
function unknownKey(file: string, where: string, key: string, known: readonly string[]): never {
  const byFlag = TRAIN_OPTION_NAMES.find((name) => flagOf(name) === key.replace(/^-+/, ''));
  const close = byFlag ? [byFlag] : closestNames(key, known);
  const hint = close.length > 0 ? `did you mean ${close.map((n) => `"${n}"`).join(', ')}?` : `known: ${known.join(', ')}`;
  fail(file, `unknown key "${key}" in ${where}; ${hint}`);
}

function trialOptions(file: string, where: string, value: unknown): TrialOptions {
  if (value === undefined) return {};
  if (!isObject(value)) fail(file, `${where} must be a mapping of training options, got ${JSON.stringify(value)}`);
  for (const key of Object.keys(value)) if (!TRIAL_KEYS.includes(key)) unknownKey(file, where, key, TRIAL_KEYS);
  return value as TrialOptions;
}

function numberPair(file: string, where: string, value: unknown): [number, number] {
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !value.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
    value[0] > value[1]
  )
    fail(file, `${where} must be [low, high] with low <= high, got ${JSON.stringify(value)}`);
  return value as [number, number];
}

function searchRange(file: string, where: string, value: unknown): SearchRange {
  if (Array.isArray(value)) {
    if (value.length === 0) fail(file, `${where} is an empty list; give at least one value`);
    return value;
  }
  if (isObject(value) && Object.keys(value).length === 1) {
    const [kind, pair] = Object.entries(value)[0] as [string, unknown];
    if (kind === 'uniform' || kind === 'int') return { [kind]: numberPair(file, `${where}.${kind}`, pair) } as SearchRange;
    if (kind === 'logUniform') {
      const [low, high] = numberPair(file, `${where}.logUniform`, pair);
      if (low <= 0) fail(file, `${where}.logUniform needs low > 0, got ${low}`);
      return { logUniform: [low, high] };
    }
  }
  fail(file, `${where} must be a list of values or one of {uniform: [low, high]}, {logUniform: [low, high]}, {int: [low, high]}`);
}

/** Checks a parsed config document; every problem is a one-line error naming the file, the key and the fix. */
export function checkSweepConfig(document: unknown, file = 'sweep config'): SweepConfig {
  if (!isObject(document)) fail(file, 'must be a mapping with base, grid, random, variants, metric');
  for (const key of Object.keys(document))
    if (!(TOP_KEYS as readonly string[]).includes(key)) unknownKey(file, 'the top level', key, TOP_KEYS);
  const base = trialOptions(file, 'base', document.base);
  const gridDoc = trialOptions(file, 'grid', document.grid);
  const grid: SweepConfig['grid'] = {};
  for (const [key, values] of Object.entries(gridDoc)) {
    if (!Array.isArray(values) || values.length === 0)
      fail(file, `grid.${key} must be a non-empty list of values, got ${JSON.stringify(values)}`);
    grid[key as TrialKey] = values;
  }
  let random: SweepConfig['random'];
  if (document.random !== undefined) {
    const r = document.random;
    if (!isObject(r)) fail(file, 'random must be a mapping {trials, seed, space}');
    for (const key of Object.keys(r))
      if (!['trials', 'seed', 'space'].includes(key)) unknownKey(file, 'random', key, ['trials', 'seed', 'space']);
    if (!Number.isInteger(r.trials) || (r.trials as number) < 1)
      fail(file, `random.trials must be a positive integer, got ${JSON.stringify(r.trials)}`);
    const seed = r.seed ?? 0;
    if (!Number.isInteger(seed)) fail(file, `random.seed must be an integer, got ${JSON.stringify(seed)}`);
    const space = trialOptions(file, 'random.space', r.space);
    random = {
      trials: r.trials as number,
      seed: seed as number,
      space: Object.fromEntries(Object.entries(space).map(([key, range]) => [key, searchRange(file, `random.space.${key}`, range)])),
    };
  }
  if (document.variants !== undefined && !Array.isArray(document.variants)) fail(file, 'variants must be a list of option mappings');
  const variants = ((document.variants as unknown[] | undefined) ?? []).map((v, i) => trialOptions(file, `variants[${i}]`, v));
  const metric = document.metric ?? 'testAccuracy';
  if (typeof metric !== 'string' || !(metric in METRICS)) {
    const close = closestNames(String(metric), Object.keys(METRICS));
    fail(
      file,
      `unknown metric ${JSON.stringify(metric)}; ${close.length > 0 ? `did you mean "${close[0]}"?` : `expected one of ${Object.keys(METRICS).join(', ')}`}`,
    );
  }
  const backend = document.backend;
  if (backend !== undefined && (typeof backend !== 'string' || !['auto', ...BACKEND_ORDER].includes(backend)))
    fail(file, `backend must be auto or one of ${BACKEND_ORDER.join(', ')}, got ${JSON.stringify(backend)}`);
  return { base, grid, ...(random ? { random } : {}), variants, metric: metric as MetricName, ...(backend ? { backend } : {}) };
}

/** Reads a sweep config file: YAML (`.yaml`, `.yml`) or JSON, checked by {@link checkSweepConfig}. */
export async function readSweepConfig(file: string): Promise<SweepConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConvkitError(
      'bad-sweep-config',
      `cannot read sweep config ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path`,
    );
  }
  let document: unknown;
  try {
    document = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConvkitError(
      'bad-sweep-config',
      `${file} is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return checkSweepConfig(document, file);
}
