import { type RunTrialOptions, runTrial, type TrainCommand, type TrialOutcome } from './run-trial.js';
import type { SweepConfig } from './sweep-config.js';
import { prepareSweep } from './sweep-plan.js';
import { type SweepReport, writeSweepResults } from './sweep-results.js';
import { type Trial, writeFailure } from './trial-store.js';

/** What a sweep reports as its trials start and end (the CLI prints one line for each). */
export type SweepEvent =
  | { type: 'start'; trial: Trial }
  | { type: 'end'; trial: Trial; outcome: TrialOutcome }
  | { type: 'progress'; trial: Trial; epoch: number };

/** What every way of running a sweep takes. */
export interface SweepRunOptions {
  config: SweepConfig;
  /** The sweep's folder: `sweep.json`, `trials/<id>/` (each a `convkit train` run folder), results and picture. */
  out: string;
  onEvent?: (event: SweepEvent) => void;
  /** Aborting stops the sweep; finished trials are kept and checkpointed ones continue when it runs again. */
  signal?: AbortSignal;
}

/** Options of {@link runLocalSweep}. */
export interface LocalSweepOptions extends SweepRunOptions {
  train: TrainCommand;
  /** Trials run at once, each its own child process. Default 1. */
  parallel?: number;
}

/**
 * Runs a sweep on this machine: every trial a `convkit train` child process, `parallel` at a time.
 * Trials are idempotent, so running the same sweep again skips those done and continues those
 * checkpointed. A trial that fails is recorded with its reason and the others go on.
 */
export async function runLocalSweep(options: LocalSweepOptions): Promise<SweepReport> {
  const trials = await prepareSweep(options.config, options.out);
  let next = 0;
  const lane = async () => {
    while (next < trials.length && !options.signal?.aborted) {
      const trial = trials[next++] as Trial;
      options.onEvent?.({ type: 'start', trial });
      const runOptions: RunTrialOptions = {
        onEpoch: (epoch) => options.onEvent?.({ type: 'progress', trial, epoch }),
        ...(options.signal ? { signal: options.signal } : {}),
      };
      const outcome = await runTrial(trial, options.train, runOptions);
      // An interrupted trial is not failed: it keeps its checkpoint and continues when the sweep runs again.
      if (outcome.status === 'failed' && !options.signal?.aborted) await writeFailure(trial.dir, { reason: outcome.reason, attempts: 1 });
      options.onEvent?.({ type: 'end', trial, outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel ?? 1, trials.length)) }, lane));
  return writeSweepResults(options.out);
}
