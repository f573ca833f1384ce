import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@convkit/core';
import { hasCheckpoint, RUN_FILES, type TrainResult } from '@convkit/train';
import type { TrialOptions } from './sweep-config.js';

/** One trial of a sweep: its identity, options, backend and the run folder it trains into. */
export interface Trial {
  id: string;
  options: TrialOptions;
  backend?: string;
  /** The trial's run folder (on a path every worker shares, for a distributed sweep). */
  dir: string;
}

/** Files a trial's folder holds besides the run files of `convkit train`. */
export const TRIAL_FILES = {
  trial: 'trial.json',
  attempts: 'attempts.jsonl',
  failure: 'failure.json',
} as const;

/** One line of a trial's `attempts.jsonl`: who started it, and how each attempt ended. */
export interface AttemptEntry {
  event: 'start' | 'done' | 'failed';
  at: string;
  host: string;
  pid: number;
  /** Start: whether the attempt continues the trial's checkpoint. */
  resumed?: boolean;
  reason?: string;
}

/** Why a trial failed for good, as `failure.json` records it. */
export interface TrialFailure {
  reason: string;
  attempts: number;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    // Absent; every file here is written atomically, so present means whole.
    return undefined;
  }
}

/** Creates the trial's folder with its `trial.json` (idempotent). */
export async function writeTrialFile(trial: Trial): Promise<void> {
  await mkdir(trial.dir, { recursive: true });
  const { dir: _dir, ...record } = trial;
  await writeFileAtomic(join(trial.dir, TRIAL_FILES.trial), `${JSON.stringify(record, null, 2)}\n`);
}

/** The finished run's `summary.json`, if the trial completed (written last and atomically by `convkit train`). */
export function readSummary(dir: string): Promise<TrainResult | undefined> {
  return readJson<TrainResult>(join(dir, RUN_FILES.summary));
}

/** The trial's `failure.json`, if it failed for good. */
export function readFailure(dir: string): Promise<TrialFailure | undefined> {
  return readJson<TrialFailure>(join(dir, TRIAL_FILES.failure));
}

/** Records that the trial failed for good (atomically, so `sweep status` never reads half of it). */
export async function writeFailure(dir: string, failure: TrialFailure): Promise<void> {
  await writeFileAtomic(join(dir, TRIAL_FILES.failure), `${JSON.stringify(failure)}\n`);
}

/** Appends one line to `attempts.jsonl`; a line this short is written by one append, whole. */
export async function logAttempt(dir: string, entry: Omit<AttemptEntry, 'at' | 'host' | 'pid'>, pid = process.pid): Promise<void> {
  const line: AttemptEntry = { ...entry, at: new Date().toISOString(), host: hostname(), pid };
  await appendFile(join(dir, TRIAL_FILES.attempts), `${JSON.stringify(line)}\n`);
}

/** Every attempt of the trial so far, oldest first. */
export async function readAttempts(dir: string): Promise<AttemptEntry[]> {
  const text = await readFile(join(dir, TRIAL_FILES.attempts), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AttemptEntry);
}

/** Whether the trial has an epoch checkpoint to continue from. */
export function trialHasCheckpoint(dir: string): Promise<boolean> {
  return hasCheckpoint(dir);
}
