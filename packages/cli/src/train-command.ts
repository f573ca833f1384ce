import { join } from 'node:path';
import type { TrainCommand } from '@convkit/sweep';
import type { Config } from '@oclif/core';

/** How sweeps and workers start a trial: this very CLI's `convkit train`, with the node running it. */
export function trainCommand(config: Config): TrainCommand {
  return { command: process.execPath, args: [join(config.root, 'bin', 'run.js'), 'train'] };
}
