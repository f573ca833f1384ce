import type { TrainProgress } from '@convkit/train';
import { formatCount } from './format.js';

const BAR_WIDTH = 24;

/** Seconds as `1m05s` / `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}

/** One progress-bar line: `epoch 2/10 [#####-----] 40/94 loss 0.512 acc 81.2% 1,234 img/s ETA 3m10s`. */
export function progressLine(p: TrainProgress): string {
  const filled = Math.round((p.batch / p.batches) * BAR_WIDTH);
  const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
  return `epoch ${p.epoch}/${p.epochs} [${bar}] ${p.batch}/${p.batches} loss ${p.loss.toFixed(3)} acc ${(100 * p.accuracy).toFixed(1)}% ${formatCount(Math.round(p.imagesPerSecond))} img/s ETA ${formatDuration(p.etaSeconds)}`;
}
