import { join } from 'node:path';
import { writeFileAtomic } from '@convkit/core';
import { writePicture } from '@convkit/train';
import type { MetricName } from './metrics.js';
import { sweepPictureSvg } from './sweep-picture.js';
import { readManifest, SWEEP_FILES } from './sweep-plan.js';
import { rankTrials, readTrialStates, sweptKeys, type TrialState } from './trial-states.js';

/** A sweep's standing: its trials ranked by the metric, and the hyperparameters that vary. */
export interface SweepReport {
  out: string;
  metric: MetricName;
  /** Option keys that differ between trials. */
  keys: string[];
  /** Best first; trials not done after those that are. */
  trials: TrialState[];
  counts: Record<TrialState['state'], number>;
}

/** The sweep in folder `out` as it stands now (what `convkit sweep status` shows). */
export async function sweepReport(out: string): Promise<SweepReport> {
  const manifest = await readManifest(out);
  const states = await readTrialStates(manifest, out);
  const counts = { done: 0, failed: 0, running: 0, pending: 0 };
  for (const s of states) counts[s.state]++;
  return { out, metric: manifest.metric, keys: sweptKeys(states), trials: rankTrials(states, manifest.metric), counts };
}

/** Writes the sweep's `results.json` (the report) and `sweep.svg`/`.png` (metric vs each hyperparameter); returns the report. */
export async function writeSweepResults(out: string): Promise<SweepReport> {
  const report = await sweepReport(out);
  await writeFileAtomic(join(out, SWEEP_FILES.results), `${JSON.stringify(report, null, 2)}\n`);
  await writePicture(join(out, SWEEP_FILES.picture), sweepPictureSvg(report.trials, report.metric, report.keys));
  return report;
}
