/**
 * @convkit/sweep: sweeps over `convkit train` options — grids, random searches and lists of
 * architectures or genotypes — run on one machine as child processes, or across machines through a
 * BullMQ queue on Redis. Trials are idempotent (the hash of their resolved options), resume from
 * their own checkpoints, and are ranked by a metric with a picture of metric vs hyperparameters.
 * `runLocalSweep`, `runQueuedSweep`, `runWorker` and `sweepReport` are what `convkit sweep`,
 * `convkit worker` and `convkit sweep status` call.
 * @packageDocumentation
 */
export { expandTrials } from './expand-trials.js';
export { type LocalSweepOptions, runLocalSweep, type SweepEvent, type SweepRunOptions } from './local-sweep.js';
export { METRICS, type MetricName, type MetricSpec } from './metrics.js';
export { type QueuedSweepOptions, runQueuedSweep } from './queue/queued-sweep.js';
export {
  type ConnectOptions,
  connectionError,
  connectRedis,
  DEFAULT_QUEUE_NAME,
  parseQueueUrl,
  redactUrl,
} from './queue/redis-connection.js';
export { type RetryPolicy, type TrialJobData, type TrialJobResult, trialJobId } from './queue/trial-job.js';
export { runWorker, type WorkerOptions } from './queue/worker.js';
export { type RunTrialOptions, runTrial, type TrainCommand, type TrialOutcome } from './run-trial.js';
export {
  checkSweepConfig,
  RUN_KEYS,
  readSweepConfig,
  type SearchRange,
  type SweepConfig,
  type TrialKey,
  type TrialOptions,
} from './sweep-config.js';
export { sweepPictureSvg } from './sweep-picture.js';
export {
  manifestTrials,
  planSweep,
  prepareSweep,
  readManifest,
  SWEEP_FILES,
  type SweepManifest,
  trialDir,
  writeManifest,
} from './sweep-plan.js';
export { type SweepReport, sweepReport, writeSweepResults } from './sweep-results.js';
export { trainArgs } from './train-args.js';
export { canonicalJson, resolvedTrialOptions, trialId } from './trial-id.js';
export { rankTrials, readTrialStates, sweptKeys, type TrialState, type TrialStateName } from './trial-states.js';
export {
  type AttemptEntry,
  logAttempt,
  readAttempts,
  readFailure,
  readSummary,
  TRIAL_FILES,
  type Trial,
  type TrialFailure,
  trialHasCheckpoint,
  writeFailure,
  writeTrialFile,
} from './trial-store.js';
