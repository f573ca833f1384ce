import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConvkitError, writeFileAtomic } from '@convkit/core';
import { expandTrials } from './expand-trials.js';
import type { MetricName } from './metrics.js';
import type { SweepConfig, TrialOptions } from './sweep-config.js';
import { trialId } from './trial-id.js';
import { type Trial, writeTrialFile } from './trial-store.js';

/** What `sweep.json` in a sweep's folder records: the metric, the backend and every trial's identity and options. */
export interface SweepManifest {
  format: 1;
  metric: MetricName;
  backend?: string;
  trials: { id: string; options: TrialOptions }[];
}

/** File names of a sweep's folder. */
export const SWEEP_FILES = {
  manifest: 'sweep.json',
  trials: 'trials',
  results: 'results.json',
  picture: 'sweep.svg',
} as const;

/** The folder of trial `id` in the sweep folder `out`. */
export function trialDir(out: string, id: string): string {
  return join(resolve(out), SWEEP_FILES.trials, id);
}

/** The sweep's manifest: its trials in config order, each once (two rows that resolve alike are one trial). */
export function planSweep(config: SweepConfig): SweepManifest {
  const seen = new Set<string>();
  const trials: SweepManifest['trials'] = [];
  for (const options of expandTrials(config)) {
    const id = trialId(options, config.backend);
    if (seen.has(id)) continue;
    seen.add(id);
    trials.push({ id, options });
  }
  return { format: 1, metric: config.metric, ...(config.backend ? { backend: config.backend } : {}), trials };
}

/** The manifest's trials as runnable {@link Trial}s in the sweep folder `out`. */
export function manifestTrials(manifest: SweepManifest, out: string): Trial[] {
  return manifest.trials.map(({ id, options }) => ({
    id,
    options,
    ...(manifest.backend ? { backend: manifest.backend } : {}),
    dir: trialDir(out, id),
  }));
}

/**
 * Writes `sweep.json`. A folder holding another sweep is refused: its trials' folders would mix with
 * this one's; the same sweep again (re-run to finish it) is fine, its trials are idempotent.
 */
export async function writeManifest(out: string, manifest: SweepManifest): Promise<void> {
  const existing = await readManifest(out).catch(() => undefined);
  if (existing) {
    const ids = (m: SweepManifest) => m.trials.map((t) => t.id).join(',');
    if (ids(existing) !== ids(manifest) || existing.metric !== manifest.metric)
      throw new ConvkitError('sweep-exists', `${out} holds another sweep (other trials or metric); choose another --out, or delete it`);
  }
  await writeFileAtomic(join(out, SWEEP_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads the `sweep.json` of the sweep folder `out`. */
export async function readManifest(out: string): Promise<SweepManifest> {
  let text: string;
  try {
    text = await readFile(join(out, SWEEP_FILES.manifest), 'utf8');
  } catch {
    throw new ConvkitError('no-sweep', `${out} holds no sweep (no ${SWEEP_FILES.manifest}); pass the --out of a \`convkit sweep\``);
  }
  return JSON.parse(text) as SweepManifest;
}

/**
 * Lays out the sweep of `config` in folder `out`: its `sweep.json` and a folder with `trial.json`
 * for each trial; returns the trials, in plan order.
 */
export async function prepareSweep(config: SweepConfig, out: string): Promise<Trial[]> {
  const manifest = planSweep(config);
  await writeManifest(out, manifest);
  const trials = manifestTrials(manifest, out);
  for (const trial of trials) await writeTrialFile(trial);
  return trials;
}
