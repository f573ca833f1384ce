import type { EpochMetrics } from '@convkit/train';

const fixed = (value: number | undefined, digits: number) => (value === undefined ? '–' : value.toFixed(digits));
const percent = (value: number | undefined) => (value === undefined ? '–' : `${(100 * value).toFixed(1)}%`);

/** Appends one finished epoch to the per-epoch table. */
export function appendEpochRow(body: HTMLTableSectionElement, m: EpochMetrics): void {
  const row = body.insertRow();
  row.dataset.epoch = String(m.epoch);
  for (const text of [
    String(m.epoch),
    fixed(m.trainLoss, 4),
    percent(m.trainAccuracy),
    fixed(m.valLoss, 4),
    percent(m.valAccuracy),
    m.imagesPerSecond.toFixed(0),
  ]) {
    row.insertCell().textContent = text;
  }
}
