import type { TrainProgress } from '@convkit/train';
import { Presets, SingleBar } from 'cli-progress';
import { formatCount } from './format.js';

/** Seconds as `1m05s` / `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}

const RUN_BAR = 10;

/**
 * The progress bar on stderr (cli-progress): the epoch's steps with loss, accuracy, speed and the
 * epoch's ETA, then a short bar of the whole run with its ETA. One bar, redrawn as steps finish
 * (training keeps the event loop busy, so a timer-driven multi-bar would never draw). For terminals
 * only; a pipe gets the per-epoch lines alone.
 */
export class TrainingBars {
  private readonly bar = new SingleBar(
    {
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 20,
      synchronousUpdate: true,
      format: ' epoch {epoch} [{bar}] {value}/{total} {detail} | run [{run}] ETA {runEta}',
    },
    Presets.shades_classic,
  );
  private active = false;

  /** Redraws the bar after a step. */
  update(p: TrainProgress): void {
    const done = Math.round((RUN_BAR * ((p.epoch - 1) * p.batches + p.batch)) / (p.epochs * p.batches));
    const payload = {
      epoch: `${p.epoch}/${p.epochs}`,
      detail: `loss ${p.loss.toFixed(3)} acc ${(100 * p.accuracy).toFixed(1)}% ${formatCount(Math.round(p.imagesPerSecond))} img/s ETA ${formatDuration(p.epochEtaSeconds)}`,
      run: '#'.repeat(done) + '-'.repeat(RUN_BAR - done),
      runEta: formatDuration(p.etaSeconds),
    };
    if (!this.active) this.bar.start(p.batches, p.batch, payload);
    else this.bar.update(p.batch, payload);
    this.active = true;
  }

  /** Clears the bar so a line can be printed; the next update draws it anew. */
  clear(): void {
    if (this.active) this.bar.stop();
    this.active = false;
  }
}
