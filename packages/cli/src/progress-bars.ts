import type { TrainProgress } from '@convkit/train';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { formatCount } from './format.js';

/** Seconds as `1m05s` / `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}

/**
 * Two progress bars on stderr (cli-progress): the epoch's steps with loss, accuracy, speed and its
 * ETA, and the whole run's with its ETA. For terminals only; a pipe gets the per-epoch lines alone.
 */
export class TrainingBars {
  private bars: { multi: MultiBar; epoch: SingleBar; run: SingleBar } | undefined;

  /** Redraws both bars after a step. */
  update(p: TrainProgress): void {
    const label = `epoch ${p.epoch}/${p.epochs}`;
    const detail = `loss ${p.loss.toFixed(3)} acc ${(100 * p.accuracy).toFixed(1)}% ${formatCount(Math.round(p.imagesPerSecond))} img/s ETA ${formatDuration(p.epochEtaSeconds)}`;
    if (!this.bars) {
      const multi = new MultiBar(
        {
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
          barsize: 20,
          format: ' {label} [{bar}] {value}/{total} {detail}',
        },
        Presets.shades_classic,
      );
      this.bars = { multi, epoch: multi.create(p.batches, 0), run: multi.create(p.epochs * p.batches, 0) };
    }
    this.bars.epoch.update(p.batch, { label, detail });
    this.bars.run.update((p.epoch - 1) * p.batches + p.batch, {
      label: 'run'.padEnd(label.length),
      detail: `ETA ${formatDuration(p.etaSeconds)}`,
    });
  }

  /** Clears the bars so a line can be printed; the next update draws them anew. */
  clear(): void {
    this.bars?.multi.stop();
    this.bars = undefined;
  }
}
