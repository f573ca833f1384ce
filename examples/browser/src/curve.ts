import type { EpochMetrics, StepMetrics } from '@convkit/train';

const MARGIN = { left: 44, right: 44, top: 12, bottom: 24 };

/**
 * Draws the training curve on `canvas`: the loss of every step (left axis, log-free so a reader
 * compares it with `metrics.jsonl` by eye) and the validation accuracy of every epoch (right axis, 0-1).
 */
export function drawCurve(
  canvas: HTMLCanvasElement,
  steps: readonly StepMetrics[],
  epochs: readonly EpochMetrics[],
  totalSteps: number,
): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  const { width, height } = canvas;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  g.clearRect(0, 0, width, height);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  const maxLoss = Math.max(0.5, ...steps.map((s) => s.loss));
  const x = (step: number) => MARGIN.left + (plotW * step) / Math.max(1, totalSteps);
  const yLoss = (loss: number) => MARGIN.top + plotH * (1 - loss / maxLoss);
  const yAcc = (acc: number) => MARGIN.top + plotH * (1 - acc);
  g.strokeStyle = '#999';
  g.strokeRect(MARGIN.left, MARGIN.top, plotW, plotH);
  g.font = '11px system-ui';
  g.fillStyle = '#1f77b4';
  g.fillText(maxLoss.toFixed(2), 4, MARGIN.top + 10);
  g.fillText('loss', 4, MARGIN.top + plotH / 2);
  g.fillText('0', 4, MARGIN.top + plotH);
  g.fillStyle = '#d62728';
  g.fillText('1.0', width - MARGIN.right + 6, MARGIN.top + 10);
  g.fillText('val acc', width - MARGIN.right + 2, MARGIN.top + plotH / 2);
  g.fillStyle = '#555';
  g.fillText('steps', MARGIN.left + plotW / 2 - 12, height - 6);
  g.strokeStyle = '#1f77b4';
  g.beginPath();
  for (const [i, s] of steps.entries()) {
    if (i === 0) g.moveTo(x(s.step), yLoss(s.loss));
    else g.lineTo(x(s.step), yLoss(s.loss));
  }
  g.stroke();
  const stepsPerEpoch = epochs.length > 0 && steps.length > 0 ? (steps.at(-1)?.step ?? 0) / epochs.length : 0;
  g.strokeStyle = '#d62728';
  g.fillStyle = '#d62728';
  g.beginPath();
  epochs.forEach((e, i) => {
    const accuracy = e.valAccuracy ?? e.trainAccuracy;
    const px = x(e.epoch * stepsPerEpoch);
    if (i === 0) g.moveTo(px, yAcc(accuracy));
    else g.lineTo(px, yAcc(accuracy));
    g.fillRect(px - 2, yAcc(accuracy) - 2, 4, 4);
  });
  g.stroke();
}
