import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@convkit/core';
import type { EpochMetrics } from '../train/epoch-metrics.js';
import type { StepMetrics } from '../train/step-metrics.js';
import { RUN_FILES } from './run-files.js';

/** One line of `metrics.jsonl`: a step or an epoch, told apart by `type`, stamped with the wall-clock time. */
export type RunLogEntry = ({ type: 'step' } & StepMetrics & { time: string }) | ({ type: 'epoch' } & EpochMetrics & { time: string });

const line = (entry: RunLogEntry) => `${JSON.stringify(entry)}\n`;

/** Appends entries to the run's `metrics.jsonl`. */
export async function appendRunLog(out: string, entries: RunLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await mkdir(out, { recursive: true });
  await appendFile(join(out, RUN_FILES.metrics), entries.map(line).join(''));
}

function parseEntry(text: string): RunLogEntry | undefined {
  try {
    const entry = JSON.parse(text) as RunLogEntry;
    return entry.type === 'step' || entry.type === 'epoch' ? entry : undefined;
  } catch {
    // A line cut short by a kill mid-write belongs to the epoch that the resume redoes.
    return undefined;
  }
}

/**
 * Cuts the run's `metrics.jsonl` back to what its checkpoint covers (epochs up to `epoch`, steps up to
 * `step`), atomically, so a resumed run logs the redone epoch once, as the uninterrupted run did, and
 * returns the step entries kept (the training curve draws them).
 */
export async function truncateRunLog(out: string, epoch: number, step: number): Promise<StepMetrics[]> {
  const path = join(out, RUN_FILES.metrics);
  const text = await readFile(path, 'utf8').catch(() => '');
  const kept = text
    .split('\n')
    .map(parseEntry)
    .filter((e): e is RunLogEntry => e !== undefined && (e.type === 'step' ? e.step <= step : e.epoch <= epoch));
  await writeFileAtomic(path, kept.map(line).join(''));
  return kept.flatMap((e) =>
    e.type === 'step' ? [{ epoch: e.epoch, step: e.step, loss: e.loss, accuracy: e.accuracy, learningRate: e.learningRate }] : [],
  );
}
