import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { SweepEvent } from '../local-sweep.js';
import { runTrial, type TrainCommand } from '../run-trial.js';
import { SWEEP_FILES } from '../sweep-plan.js';
import { writeFailure } from '../trial-store.js';
import { connectRedis, DEFAULT_QUEUE_NAME } from './redis-connection.js';
import type { TrialJobData, TrialJobResult } from './trial-job.js';

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  /** `redis://[user:password@]host[:port][/db]`. */
  url: string;
  queueName?: string;
  train: TrainCommand;
  /** Trials run at once, each a `convkit train` child process. Default 1. */
  concurrency?: number;
  /**
   * How long a trial's lock lasts without renewal: a worker that dies is noticed, and its trial
   * handed to another worker, within about twice this. Default 30.
   */
  stallSeconds?: number;
  /** Times a trial may lose its worker before it fails for good. Default 2. */
  maxStalls?: number;
  onEvent?: (event: SweepEvent & { worker: string }) => void;
  onWarning?: (message: string) => void;
  /** Aborting stops taking trials and interrupts the running ones (they keep their checkpoints and go back to the queue). */
  signal?: AbortSignal;
  /** Called once the worker is connected and taking trials. */
  onReady?: () => void;
}

async function sweepFolderReachable(dir: string): Promise<boolean> {
  return access(join(dirname(dirname(dir)), SWEEP_FILES.manifest)).then(
    () => true,
    () => false,
  );
}

/**
 * Takes trials from a BullMQ queue until aborted, running each with {@link runTrial} (a
 * `convkit train` child process, so this process's event loop stays free to renew the trial's lock).
 * A trial that fails for its own reasons (bad options, diverged) fails at once with its reason; a
 * crash is retried with the sweep's backoff, the last attempt recording its reason; a trial handed
 * over after a worker died continues from its checkpoint.
 */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const connection = await connectRedis(options.url, options.onWarning ? { onWarning: options.onWarning } : {});
  const interrupt = new AbortController();
  const name = `${process.pid}`;
  // A trial whose lock could not be renewed (Redis was away longer than the lock) may already be
  // another worker's: its training stops here, so no two workers ever train one trial folder.
  const running = new Map<string, AbortController>();
  const processor = async (job: Job<TrialJobData>, _token?: string, cancelled?: AbortSignal): Promise<TrialJobResult> => {
    const { trial } = job.data;
    const stop = new AbortController();
    const abort = () => stop.abort();
    interrupt.signal.addEventListener('abort', abort, { once: true });
    cancelled?.addEventListener('abort', abort, { once: true });
    running.set(job.id as string, stop);
    try {
      return await processTrial(job, trial, stop.signal);
    } finally {
      running.delete(job.id as string);
      interrupt.signal.removeEventListener('abort', abort);
      cancelled?.removeEventListener('abort', abort);
    }
  };
  const processTrial = async (job: Job<TrialJobData>, trial: TrialJobData['trial'], signal: AbortSignal): Promise<TrialJobResult> => {
    if (!(await sweepFolderReachable(trial.dir)))
      throw new Error(`the sweep folder of ${trial.dir} is not on this machine; mount it at the same path on every worker`);
    options.onEvent?.({ type: 'start', trial, worker: name });
    const outcome = await runTrial(trial, options.train, {
      signal,
      onEpoch: (epoch) => {
        options.onEvent?.({ type: 'progress', trial, epoch, worker: name });
        job.updateProgress({ epoch }).catch(() => {});
      },
    });
    options.onEvent?.({ type: 'end', trial, outcome, worker: name });
    if (outcome.status === 'done') {
      const { testAccuracy, testLoss } = outcome.summary;
      return { id: trial.id, dir: trial.dir, testAccuracy, testLoss, cached: outcome.cached };
    }
    if (interrupt.signal.aborted) {
      // Shutting down: the trial is not failed; its lock lapses and another worker continues it.
      await new Promise(() => {});
    }
    if (signal.aborted) throw new Error(`trial ${trial.id} lost its lock; another worker continues it from its checkpoint`);
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (!outcome.retryable || last) await writeFailure(trial.dir, { reason: outcome.reason, attempts: job.attemptsMade + 1 });
    throw outcome.retryable ? new Error(outcome.reason) : new UnrecoverableError(outcome.reason);
  };
  const stall = (options.stallSeconds ?? 30) * 1000;
  const worker = new Worker<TrialJobData, TrialJobResult>(options.queueName ?? DEFAULT_QUEUE_NAME, processor, {
    connection,
    concurrency: options.concurrency ?? 1,
    lockDuration: stall,
    stalledInterval: stall,
    maxStalledCount: options.maxStalls ?? 2,
  });
  // A lost connection is reported once by the connection itself; anything else is worth a line.
  worker.on('error', (error: Error & { code?: string }) => {
    if (!/ECONNREFUSED|ECONNRESET|EPIPE|Connection is closed/.test(`${error.code ?? ''} ${error.message}`))
      options.onWarning?.(`worker: ${error.message.split('\n')[0]}`);
  });
  worker.on('lockRenewalFailed', (jobIds: string[]) => {
    for (const id of jobIds) running.get(id)?.abort();
  });
  await worker.waitUntilReady();
  options.onReady?.();
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  interrupt.abort();
  await worker.close(true);
  connection.disconnect();
}
