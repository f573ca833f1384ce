import { METRICS, type SweepReport, type TrialState } from '@convkit/sweep';
import { renderTable } from './format.js';

function cell(value: unknown): string {
  return value === undefined ? '-' : typeof value === 'string' ? value : JSON.stringify(value);
}

function metricCell(report: SweepReport, s: TrialState): string {
  if (s.value === undefined) return '-';
  return METRICS[report.metric].description.includes('accuracy') ? `${(100 * s.value).toFixed(2)}%` : s.value.toFixed(4);
}

function stateCell(s: TrialState): string {
  if (s.state === 'running' || (s.state === 'pending' && s.epoch > 0)) return `${s.state} ${s.epoch}/${s.epochs ?? '?'}`;
  return s.attempts > 1 ? `${s.state} (${s.attempts} attempts)` : s.state;
}

/**
 * The ranking table of a sweep: rank, trial id, state, the metric, each swept hyperparameter and,
 * for a failed trial, its one-line reason.
 */
export function sweepTable(report: SweepReport): string {
  let rank = 0;
  return renderTable(report.trials, [
    { header: '#', value: (s) => (s.state === 'done' ? String(++rank) : ''), align: 'right' },
    { header: 'trial', value: (s) => s.id },
    { header: 'state', value: stateCell },
    { header: report.metric, value: (s) => metricCell(report, s), align: 'right' },
    ...report.keys.map((key) => ({ header: key, value: (s: TrialState) => cell(s.options[key as keyof TrialState['options']]) })),
    ...(report.trials.some((s) => s.reason) ? [{ header: 'reason', value: (s: TrialState) => s.reason ?? '', wrap: true }] : []),
  ]);
}

/** One line counting the trials by state: `6 done, 1 failed, 0 running, 0 pending`. */
export function sweepCounts(report: SweepReport): string {
  const c = report.counts;
  return `${c.done} done, ${c.failed} failed, ${c.running} running, ${c.pending} pending`;
}
