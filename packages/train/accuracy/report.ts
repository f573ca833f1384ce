import type { EpochMetrics } from '../src/train/epoch-metrics.js';

/** The callback the accuracy runs pass to `train`: one line per epoch (loss, accuracy, time, throughput). */
export const printEpochs = {
  onEpochEnd: (m: EpochMetrics) => {
    process.stdout.write(
      `epoch ${m.epoch}: loss ${m.trainLoss.toFixed(4)} acc ${(100 * m.trainAccuracy).toFixed(2)}% ${m.seconds.toFixed(1)}s ${Math.round(m.imagesPerSecond)} img/s\n`,
    );
  },
};

/** Prints a run's test figures, backend and mean seconds per epoch as one JSON line, for the closing note. */
export function printResult(
  result: {
    testAccuracy: number;
    testTop5: number;
    testLoss: number;
    imagesPerSecond: number;
    backend: unknown;
    history: { seconds: number }[];
  },
  extra: Record<string, unknown>,
): void {
  const perEpoch = result.history.map((m) => m.seconds);
  const { testAccuracy, testTop5, testLoss, imagesPerSecond, backend } = result;
  const secondsPerEpoch = perEpoch.reduce((a, b) => a + b, 0) / perEpoch.length;
  process.stdout.write(`${JSON.stringify({ testAccuracy, testTop5, testLoss, imagesPerSecond, backend, secondsPerEpoch, ...extra })}\n`);
}
