import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Trial } from '../trial-store.js';

/** What a trial's job on the queue carries: the trial, whose folder is on a path every worker shares. */
export interface TrialJobData {
  trial: Trial;
}

/** What a finished trial's job returns through the queue: where its results are and its test scores. */
export interface TrialJobResult {
  id: string;
  dir: string;
  testAccuracy: number;
  testLoss: number;
  cached: boolean;
}

/** Retry policy of a distributed sweep's trials. */
export interface RetryPolicy {
  /** Attempts after the first for a trial that crashed (its own failures are not retried). Default 2. */
  retries?: number;
  /** Wait before the first retry; each next one waits twice as long. Default 5. */
  backoffSeconds?: number;
}

/** The job id of a trial of the sweep in `out`: the same trial of the same sweep is one job, however often it is added. */
export function trialJobId(out: string, trialId: string): string {
  return `${createHash('sha256').update(resolve(out)).digest('hex').slice(0, 8)}-${trialId}`;
}
