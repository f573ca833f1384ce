import { flagOf, TRAIN_OPTION_NAMES } from '@convkit/train';
import type { TrialOptions } from './sweep-config.js';

function flagValue(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * The `convkit train` arguments of a trial writing into `out`: one flag per option given, each
 * spelled as the training-options table names its flag, so a trial runs exactly as a user's command
 * with the same flags would. Values go as separate argv entries, never through a shell.
 */
export function trainArgs(options: TrialOptions, out: string, backend?: string, resume = false): string[] {
  const args: string[] = [];
  if (options.arch !== undefined) args.push('--arch', flagValue(options.arch));
  if (options.archOptions !== undefined) args.push('--arch-options', JSON.stringify(options.archOptions));
  if (options.data !== undefined) args.push('--data', flagValue(options.data));
  for (const name of TRAIN_OPTION_NAMES) if (options[name] !== undefined) args.push(`--${flagOf(name)}=${flagValue(options[name])}`);
  if (backend !== undefined) args.push('--backend', backend);
  args.push('--out', out, resume ? '--resume' : '--overwrite', '--json');
  return args;
}
