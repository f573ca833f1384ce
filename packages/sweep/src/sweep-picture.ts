import { type LineChart, renderCharts } from '@convkit/train';
import { METRICS, type MetricName, type MetricSpec } from './metrics.js';
import type { TrialOptions } from './sweep-config.js';
import type { TrialState } from './trial-states.js';

const DOT = '#1f77b4';

/** An axis for one hyperparameter: numbers as they are (log10 when they span two decades), anything else by its index in first-seen order. */
function axis(key: string, values: unknown[]): { label: string; x: (v: unknown) => number } {
  if (values.every((v) => typeof v === 'number')) {
    const numbers = values as number[];
    const low = Math.min(...numbers);
    if (low > 0 && Math.max(...numbers) / low >= 100) return { label: `log10(${key})`, x: (v) => Math.log10(v as number) };
    return { label: key, x: (v) => v as number };
  }
  const names = [...new Set(values.map((v) => JSON.stringify(v)))];
  return {
    label: `${key}: ${names.map((n, i) => `${i}=${n.replace(/^"|"$/g, '')}`).join(' ')}`,
    x: (v) => names.indexOf(JSON.stringify(v)),
  };
}

/**
 * The sweep's picture as an SVG document: one scatter plot per hyperparameter, the metric of every
 * finished trial against that hyperparameter's value, side by side (drawn with the training-curve
 * chart code of `@convkit/train`).
 */
export function sweepPictureSvg(states: TrialState[], metric: MetricName, keys: string[]): string {
  const spec: MetricSpec = METRICS[metric];
  const done = states.filter((s) => s.state === 'done' && s.value !== undefined && Number.isFinite(s.value));
  const shown = keys.length > 0 ? keys : ['trial'];
  const charts = shown.map((key): LineChart => {
    const pick = (s: TrialState) => (key === 'trial' ? states.indexOf(s) : s.options[key as keyof TrialOptions]);
    const { label, x } = axis(key, done.map(pick));
    return {
      title: `${metric} vs ${key}`,
      xLabel: label,
      yLabel: spec.description,
      ...(spec.range ? { yRange: spec.range } : {}),
      series: [{ name: `${done.length} trials`, color: DOT, line: false, points: done.map((s) => [x(pick(s)), s.value as number]) }],
    };
  });
  return renderCharts(charts, 360, 300);
}
