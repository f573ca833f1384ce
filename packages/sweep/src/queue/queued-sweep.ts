import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { SweepRunOptions } from '../local-sweep.js';
import { prepareSweep } from '../sweep-plan.js';
import { type SweepReport, writeSweepResults } from '../sweep-results.js';
import { readFailure, readSummary, type Trial, writeFailure } from '../trial-store.js';
import { connectRedis, DEFAULT_QUEUE_NAME } from './redis-connection.js';
import { type RetryPolicy, type TrialJobData, trialJobId } from './trial-job.js';

/** Options of {@link runQueuedSweep}. */
export interface QueuedSweepOptions extends SweepRunOptions, RetryPolicy {
  /** `redis://[user:password@]host[:port][/db]`. `out` must be on a path every worker shares. */
  url: string;
  queueName?: string;
  onWarning?: (message: string) => void;
  /** How often the queue is asked how the trials stand. Default 1. */
  pollSeconds?: number;
}

/**
 * Runs a sweep through a BullMQ queue: every trial not yet done becomes a job (its id derived from
 * the sweep folder and the trial's identity, so adding it again is a no-op), `convkit worker`s on any
 * machine run them, and this waits until each is completed or failed for good, then writes the
 * results and picture. A trial that failed in an earlier run of the sweep is retried.
 */
export async function runQueuedSweep(options: QueuedSweepOptions): Promise<SweepReport> {
  const trials = await prepareSweep(options.config, options.out);
  const connection = await connectRedis(options.url, options.onWarning ? { onWarning: options.onWarning } : {});
  const queue = new Queue<TrialJobData>(options.queueName ?? DEFAULT_QUEUE_NAME, { connection });
  queue.on('error', () => {});
  try {
    const open: Trial[] = [];
    for (const trial of trials) if (!(await readSummary(trial.dir))) open.push(trial);
    for (const trial of open) {
      const existing = await queue.getJob(trialJobId(options.out, trial.id));
      if (existing && (await existing.getState()) === 'failed') await existing.retry('failed');
    }
    const retries = options.retries ?? 2;
    await queue.addBulk(
      open.map((trial) => ({
        name: trial.id,
        data: { trial },
        opts: {
          jobId: trialJobId(options.out, trial.id),
          attempts: retries + 1,
          backoff: { type: 'exponential', delay: (options.backoffSeconds ?? 5) * 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    const started = new Set<string>();
    let waiting = open;
    while (waiting.length > 0 && !options.signal?.aborted) {
      const still: Trial[] = [];
      for (const trial of waiting) {
        const job = await queue.getJob(trialJobId(options.out, trial.id));
        const state = job ? await job.getState() : 'unknown';
        if ((state === 'active' || state === 'completed' || state === 'failed') && !started.has(trial.id)) {
          started.add(trial.id);
          options.onEvent?.({ type: 'start', trial });
        }
        if (state === 'completed') {
          const summary = await readSummary(trial.dir);
          options.onEvent?.({
            type: 'end',
            trial,
            outcome: summary
              ? { status: 'done', summary, cached: false }
              : {
                  status: 'failed',
                  reason: `the job completed but ${trial.dir} has no summary.json; is the sweep folder shared by the workers?`,
                  retryable: false,
                },
          });
        } else if (state === 'failed' && job) {
          // A trial whose workers all died before it finished fails in BullMQ with no worker left to record why.
          const reason = (await readFailure(trial.dir))?.reason ?? job.failedReason ?? 'failed';
          await writeFailure(trial.dir, { reason, attempts: Math.max(1, job.attemptsMade) });
          options.onEvent?.({ type: 'end', trial, outcome: { status: 'failed', reason, retryable: false } });
        } else still.push(trial);
      }
      waiting = still;
      if (waiting.length > 0)
        await sleep((options.pollSeconds ?? 1) * 1000, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {});
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
  return writeSweepResults(options.out);
}
