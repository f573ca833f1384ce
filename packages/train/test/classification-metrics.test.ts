import { describe, expect, it } from 'vitest';
import { ClassificationMetrics, perClassScores } from '../src/train/classification-metrics.js';

// Six classes, so top-5 differs from top-1 and from top-3. Row i ranks its true class at `rank[i]`
// (1 = highest score): the scores are a fixed permutation, so the rank is known by construction.
const classes = 6;
const scoresWithTrueRank = (label: number, rank: number): number[] => {
  const row = new Array<number>(classes).fill(0);
  const others = [...Array(classes).keys()].filter((k) => k !== label);
  const order = [...others.slice(0, rank - 1), label, ...others.slice(rank - 1)]; // highest first
  order.forEach((k, position) => {
    row[k] = (classes - position) / 21; // 6/21 ... 1/21, sums to 1
  });
  return row;
};

describe('ClassificationMetrics', () => {
  it('top-1 counts a true class ranked first; top-5 one ranked first to fifth, not sixth', () => {
    const metrics = new ClassificationMetrics(classes);
    const labels = [0, 1, 2, 3, 4, 5];
    const ranks = [1, 2, 3, 4, 5, 6];
    metrics.add(
      labels.flatMap((l, i) => scoresWithTrueRank(l, ranks[i] as number)),
      labels,
      0,
    );
    const result = metrics.result();
    expect(result.top1).toBeCloseTo(1 / 6, 12);
    expect(result.top5).toBeCloseTo(5 / 6, 12);
    expect(result.count).toBe(6);
  });

  it('the confusion matrix is confusion[truth][predicted]', () => {
    const metrics = new ClassificationMetrics(3);
    // truth 0 predicted 2 twice; truth 1 predicted 1; truth 2 predicted 0
    const onehot = (k: number) => [0, 1, 2].map((j) => (j === k ? 0.8 : 0.1));
    metrics.add([...onehot(2), ...onehot(2), ...onehot(1), ...onehot(0)], [0, 0, 1, 2], 0);
    expect(metrics.result().confusion).toEqual([
      [0, 0, 2],
      [0, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('a tie for the top score predicts the first of the tied classes, as argmax does', () => {
    const metrics = new ClassificationMetrics(3);
    metrics.add([0.1, 0.45, 0.45, 0.4, 0.2, 0.4], [2, 0], 0);
    expect(metrics.result().confusion).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('the loss is the image-weighted mean of the batch means', () => {
    const metrics = new ClassificationMetrics(2);
    metrics.add([0.9, 0.1, 0.2, 0.8], [0, 1], 1);
    metrics.add([0.9, 0.1, 0.9, 0.1, 0.9, 0.1], [0, 0, 1], 2);
    const result = metrics.result();
    expect(result.loss).toBeCloseTo((2 * 1 + 3 * 2) / 5, 12);
    expect(result.top1).toBeCloseTo(4 / 5, 12);
    expect(result.top5).toBe(1);
  });

  it('per-class precision is over the predicted column, recall over the true row', () => {
    // rows: truth, columns: predicted
    const confusion = [
      [5, 1, 0],
      [2, 3, 1],
      [0, 0, 0],
    ];
    const [a, b, c] = perClassScores(confusion, ['a', 'b', 'c']);
    expect(a).toEqual({ name: 'a', precision: 5 / 7, recall: 5 / 6, support: 6 });
    expect(b).toEqual({ name: 'b', precision: 3 / 4, recall: 3 / 6, support: 6 });
    // absent from the set and predicted once, wrongly: precision 0/1, recall 0 (not NaN)
    expect(c).toEqual({ name: 'c', precision: 0, recall: 0, support: 0 });
  });

  it('a class never predicted has precision 0, not 0 / 0', () => {
    const [, never] = perClassScores(
      [
        [2, 0],
        [3, 0],
      ],
      ['a', 'b'],
    );
    expect(never).toEqual({ name: 'b', precision: 0, recall: 0, support: 3 });
  });

  it('an empty set scores 0, not NaN', () => {
    expect(new ClassificationMetrics(3).result()).toMatchObject({ loss: 0, top1: 0, top5: 0, count: 0 });
  });
});
