import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS, type MetricName } from './metrics.js';
import type { TrialOptions } from './sweep-config.js';
import { manifestTrials, type SweepManifest } from './sweep-plan.js';
import { readAttempts, readFailure, readSummary } from './trial-store.js';

/** Where a trial stands, as its folder (and, for a distributed sweep, the queue) tells. */
export type TrialStateName = 'done' | 'failed' | 'running' | 'pending';

/** One trial's state for `convkit sweep status` and the final table. */
export interface TrialState {
  id: string;
  options: TrialOptions;
  state: TrialStateName;
  /** The sweep's metric, once done. */
  value?: number;
  /** Why it failed: the one-line error of its last attempt. */
  reason?: string;
  /** Epochs checkpointed so far, and the trial's total. */
  epoch: number;
  epochs?: number;
  attempts: number;
  /** The trial's run folder. */
  dir: string;
}

async function checkpointed(dir: string): Promise<number> {
  try {
    return (JSON.parse(await readFile(join(dir, 'checkpoints', 'latest.json'), 'utf8')) as { epoch?: number }).epoch ?? 0;
  } catch {
    return 0;
  }
}

/** Every trial's state, read from the sweep's folder: a summary means done, `failure.json` failed, a started attempt running. */
export async function readTrialStates(manifest: SweepManifest, out: string): Promise<TrialState[]> {
  const metric = METRICS[manifest.metric as MetricName];
  return Promise.all(
    manifestTrials(manifest, out).map(async (trial): Promise<TrialState> => {
      const [summary, failure, attempts] = await Promise.all([readSummary(trial.dir), readFailure(trial.dir), readAttempts(trial.dir)]);
      const starts = attempts.filter((a) => a.event === 'start').length;
      const epochs = typeof trial.options.epochs === 'number' ? trial.options.epochs : undefined;
      const common = { id: trial.id, options: trial.options, attempts: starts, dir: trial.dir, ...(epochs ? { epochs } : {}) };
      if (summary) {
        const value = metric.read(summary);
        return { ...common, state: 'done', epoch: summary.epochs, ...(value === undefined ? {} : { value }) };
      }
      if (failure) return { ...common, state: 'failed', reason: failure.reason, epoch: await checkpointed(trial.dir) };
      const last = attempts.at(-1);
      return {
        ...common,
        state: last?.event === 'start' ? 'running' : 'pending',
        epoch: await checkpointed(trial.dir),
        ...(last?.reason ? { reason: last.reason } : {}),
      };
    }),
  );
}

/**
 * Trials ranked by the sweep's metric, best first (higher or lower as the metric says); trials not
 * done follow in plan order: failed, then running, then pending.
 */
export function rankTrials(states: TrialState[], metricName: MetricName): TrialState[] {
  const sign = METRICS[metricName].better === 'higher' ? -1 : 1;
  const order: Record<TrialStateName, number> = { done: 0, failed: 1, running: 2, pending: 3 };
  return states
    .map((s, i) => ({ s, i }))
    .sort(
      (a, b) =>
        order[a.s.state] - order[b.s.state] || (a.s.state === 'done' ? sign * ((a.s.value ?? 0) - (b.s.value ?? 0)) : 0) || a.i - b.i,
    )
    .map(({ s }) => s);
}

/** The option keys whose values differ between trials: the sweep's hyperparameters, in first-seen order. */
export function sweptKeys(states: Pick<TrialState, 'options'>[]): string[] {
  const keys = [...new Set(states.flatMap((s) => Object.keys(s.options)))];
  return keys.filter((key) => new Set(states.map((s) => JSON.stringify(s.options[key as keyof TrialOptions]))).size > 1);
}
