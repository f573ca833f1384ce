import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainResult } from '@convkit/train';
import { trainArgs } from './train-args.js';
import { logAttempt, readSummary, TRIAL_FILES, type Trial, trialHasCheckpoint, writeTrialFile } from './trial-store.js';

/**
 * How to start `convkit train`: the executable and the arguments before the train flags. The child
 * gets an IPC channel and `CONVKIT_EXIT_WITH_PARENT=1`, and must end when the channel closes.
 */
export interface TrainCommand {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** How one attempt at a trial ended. */
export type TrialOutcome =
  | { status: 'done'; summary: TrainResult; cached: boolean }
  /** `retryable`: the attempt crashed (killed, out of memory) rather than failing for the trial's own reasons. */
  | { status: 'failed'; reason: string; retryable: boolean };

/** Options of {@link runTrial}. */
export interface RunTrialOptions {
  /** Called with each epoch the trial has checkpointed (read from its checkpoint, every `progressSeconds`). */
  onEpoch?: (epoch: number) => void;
  progressSeconds?: number;
  /** Aborting interrupts the training child (SIGINT: it keeps its last checkpoint) and fails the attempt as retryable. */
  signal?: AbortSignal;
}

const PREFIX = /^convkit: (?:error: )?/;

/** The one line a failed `convkit train` printed as its error: the last `convkit:` line that is not a warning. */
function reasonOf(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => PREFIX.test(l) && !l.startsWith('convkit: warning:'));
  return lines.at(-1)?.replace(PREFIX, '');
}

async function checkpointedEpoch(dir: string): Promise<number | undefined> {
  try {
    const latest = JSON.parse(await readFile(join(dir, 'checkpoints', 'latest.json'), 'utf8')) as { epoch?: number };
    return latest.epoch;
  } catch {
    return undefined;
  }
}

/**
 * Runs one trial as a `convkit train` child process into the trial's folder, idempotently: a trial
 * whose `summary.json` exists is done and not run again, and one with a checkpoint continues it
 * (`--resume`), so a re-delivered trial loses at most the epoch in flight. The child gets an IPC
 * channel and ends when it closes, so a runner killed with SIGKILL leaves no training behind it to
 * race its successor. Exit code 1 is the trial's own failure (bad options: the one-line error
 * `convkit train` printed is the reason); a signal or another code is a crash, worth a retry. A run
 * whose test loss is not finite diverged, and fails for its own reason too.
 */
export async function runTrial(trial: Trial, train: TrainCommand, options: RunTrialOptions = {}): Promise<TrialOutcome> {
  const done = await readSummary(trial.dir);
  if (done) return { status: 'done', summary: done, cached: true };
  await writeTrialFile(trial);
  // A new attempt supersedes the failure an earlier run of the sweep recorded.
  await rm(join(trial.dir, TRIAL_FILES.failure), { force: true });
  const resume = await trialHasCheckpoint(trial.dir);
  await logAttempt(trial.dir, { event: 'start', resumed: resume });
  const child = spawn(train.command, [...train.args, ...trainArgs(trial.options, trial.dir, trial.backend, resume)], {
    // With the channel, this asks the child to end when the channel closes (see `convkit`'s base command).
    env: { ...process.env, ...train.env, CONVKIT_EXIT_WITH_PARENT: '1' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    // The reason is in the last lines; a chatty child must not grow this without bound.
    stderr = (stderr + chunk).slice(-20_000);
  });
  const interrupt = () => child.kill('SIGINT');
  options.signal?.addEventListener('abort', interrupt, { once: true });
  let lastEpoch = 0;
  const progress = options.onEpoch
    ? setInterval(
        async () => {
          const epoch = await checkpointedEpoch(trial.dir);
          if (epoch !== undefined && epoch > lastEpoch) {
            lastEpoch = epoch;
            options.onEpoch?.(epoch);
          }
        },
        (options.progressSeconds ?? 2) * 1000,
      )
    : undefined;
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on('error', (error) => {
      stderr += `convkit: cannot start ${train.command}: ${error.message}\n`;
      resolve([null, null]);
    });
    child.on('close', (c, s) => resolve([c, s]));
  });
  clearInterval(progress);
  options.signal?.removeEventListener('abort', interrupt);
  const outcome = await settle(trial, code, signal, stderr, options.signal?.aborted ?? false);
  await logAttempt(trial.dir, outcome.status === 'done' ? { event: 'done' } : { event: 'failed', reason: outcome.reason });
  return outcome;
}

async function settle(
  trial: Trial,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  aborted: boolean,
): Promise<TrialOutcome> {
  if (code === 0) {
    const summary = await readSummary(trial.dir);
    if (!summary) return { status: 'failed', reason: `convkit train exited 0 but wrote no summary.json in ${trial.dir}`, retryable: true };
    if (!Number.isFinite(summary.testLoss))
      return { status: 'failed', reason: `diverged: test loss is ${summary.testLoss}`, retryable: false };
    return { status: 'done', summary, cached: false };
  }
  const said = reasonOf(stderr);
  if (code === 1 && said !== undefined && !aborted) return { status: 'failed', reason: said, retryable: false };
  const how = signal ? `was killed by ${signal}` : code === null ? 'did not start' : `exited with code ${code}`;
  return { status: 'failed', reason: `convkit train ${how}${aborted ? ' (interrupted)' : ''}${said ? `: ${said}` : ''}`, retryable: true };
}
