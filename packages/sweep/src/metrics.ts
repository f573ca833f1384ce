import type { TrainResult } from '@convkit/train';

/** How a metric is read from a finished run's `summary.json`, and which way is better. */
export interface MetricSpec {
  description: string;
  better: 'higher' | 'lower';
  /** The values' fixed range, for pictures (accuracies: 0 to 1). */
  range?: [number, number];
  read(summary: TrainResult): number | undefined;
}

const modelEpoch = (s: TrainResult) => s.history.find((m) => m.epoch === s.modelEpoch) ?? s.history.at(-1);

/** The metrics a sweep can rank by, all read from the trial's `summary.json`. */
export const METRICS = {
  testAccuracy: { range: [0, 1], description: 'top-1 accuracy on the test set', better: 'higher', read: (s) => s.testAccuracy },
  testTop5: { range: [0, 1], description: 'top-5 accuracy on the test set', better: 'higher', read: (s) => s.testTop5 },
  testLoss: { description: 'cross-entropy on the test set', better: 'lower', read: (s) => s.testLoss },
  valAccuracy: {
    range: [0, 1],
    description: "validation accuracy of the model's epoch",
    better: 'higher',
    read: (s) => modelEpoch(s)?.valAccuracy,
  },
  valLoss: { description: "validation loss of the model's epoch", better: 'lower', read: (s) => modelEpoch(s)?.valLoss },
} satisfies Record<string, MetricSpec>;

/** Name of a metric a sweep ranks by. */
export type MetricName = keyof typeof METRICS;
