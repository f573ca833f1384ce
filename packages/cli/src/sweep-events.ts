import type { SweepEvent } from '@convkit/sweep';

function describeOptions(options: Record<string, unknown>, keys: string[]): string {
  return keys
    .filter((k) => options[k] !== undefined)
    .map((k) => `${k}=${typeof options[k] === 'string' ? options[k] : JSON.stringify(options[k])}`)
    .join(' ');
}

/** The progress line of a sweep event (`trial 3f2a… done: testAccuracy 0.91`), or undefined for events not worth a line. */
export function sweepEventLine(event: SweepEvent, keys: string[] = Object.keys(event.trial.options)): string | undefined {
  const { trial } = event;
  if (event.type === 'start') return `trial ${trial.id} started: ${describeOptions(trial.options, keys)}`;
  if (event.type === 'progress') return `trial ${trial.id} checkpointed epoch ${event.epoch}`;
  const o = event.outcome;
  if (o.status === 'done')
    return `trial ${trial.id} done${o.cached ? ' (already finished)' : ''}: test accuracy ${(100 * o.summary.testAccuracy).toFixed(2)}%, test loss ${o.summary.testLoss.toFixed(4)}`;
  return `trial ${trial.id} failed: ${o.reason}`;
}
