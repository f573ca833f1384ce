import { ConvkitError } from '@convkit/core';
import { flagOf, TRAIN_OPTION_NAMES, TRAIN_OPTIONS, type TrainOptionName, trainOptionsSchema } from '../options/training-options.js';
import type { TrainConfig } from './train-config.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));

function refuse(name: TrainOptionName, given: unknown, stored: unknown, out: string, why: string): ConvkitError {
  return new ConvkitError(
    'resume-conflict',
    `--${flagOf(name)} ${show(given)} cannot apply to the run in ${out}, which has ${show(stored)}: ${why}; drop --${flagOf(name)} to continue it, or start a new run (another --out, or --overwrite)`,
  );
}

/**
 * The configuration a resumed run continues with: the checkpoint's, with the options given again
 * checked against it. An option that shapes the run's math must equal the stored value (a resume
 * continues the same run); `--epochs` may extend a run whose learning rate does not depend on its
 * length; options that change nothing already trained (checkpoints kept, which model is final) apply.
 */
export function resumedConfig(
  stored: TrainConfig,
  given: Partial<Record<TrainOptionName, unknown>>,
  archOptions: Record<string, unknown> | undefined,
  completed: number,
  out: string,
): TrainConfig {
  const config: TrainConfig = { ...stored };
  // Older checkpoints predate some options; they resume with those options' defaults.
  const defaults = trainOptionsSchema.parse({});
  for (const name of TRAIN_OPTION_NAMES) {
    if ((config as Record<string, unknown>)[name] === undefined) (config as Record<string, unknown>)[name] = defaults[name];
  }
  if (archOptions !== undefined && !same(archOptions, stored.archOptions)) {
    throw new ConvkitError(
      'resume-conflict',
      `--arch-options ${JSON.stringify(archOptions)} differ from those of the run in ${out} (${JSON.stringify(stored.archOptions)}); drop --arch-options to continue it, or start a new run`,
    );
  }
  for (const name of TRAIN_OPTION_NAMES) {
    const value = given[name];
    const current = (config as Record<string, unknown>)[name];
    if (value === undefined || same(value, current)) continue;
    const rule = TRAIN_OPTIONS[name].resume;
    if (rule === 'free') (config as Record<string, unknown>)[name] = value;
    else if (rule === 'fixed') throw refuse(name, value, current, out, 'a resume continues the same run');
    else extendEpochs(config, value as number, completed, out);
  }
  return config;
}

function extendEpochs(config: TrainConfig, epochs: number, completed: number, out: string): void {
  if (epochs < completed) throw refuse('epochs', epochs, config.epochs, out, `${completed} epochs are already trained`);
  if (config.schedule !== 'constant') {
    throw refuse(
      'epochs',
      epochs,
      config.epochs,
      out,
      `its ${config.schedule} schedule spans the run's length, so the epochs trained would not match a longer run`,
    );
  }
  if (config.dropPath > 0) {
    throw refuse(
      'epochs',
      epochs,
      config.epochs,
      out,
      "its drop-path rate ramps over the run's length, so the epochs trained would not match a longer run",
    );
  }
  config.epochs = epochs;
}
