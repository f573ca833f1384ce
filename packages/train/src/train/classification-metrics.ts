/** Accumulates loss, top-1, top-5 and a confusion matrix over batches of predictions. */
export class ClassificationMetrics {
  private lossSum = 0;
  private count = 0;
  private top1 = 0;
  private top5 = 0;
  /** `confusion[truth][predicted]` counts. */
  readonly confusion: number[][];

  constructor(readonly numClasses: number) {
    this.confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  }

  /**
   * Adds a batch: `probabilities` row-major `count x numClasses`, true class per row, and the batch's
   * mean loss. A true class counts as top-5 when fewer than 5 classes score strictly higher.
   */
  add(probabilities: ArrayLike<number>, truth: ArrayLike<number>, meanLoss: number): void {
    const k = this.numClasses;
    for (let i = 0; i < truth.length; i++) {
      const label = truth[i] as number;
      const target = probabilities[i * k + label] as number;
      let best = 0;
      let higher = 0;
      for (let j = 0; j < k; j++) {
        const p = probabilities[i * k + j] as number;
        if (p > (probabilities[i * k + best] as number)) best = j;
        if (p > target) higher += 1;
      }
      if (best === label) this.top1 += 1;
      if (higher < 5) this.top5 += 1;
      (this.confusion[label] as number[])[best] = ((this.confusion[label] as number[])[best] as number) + 1;
    }
    this.lossSum += meanLoss * truth.length;
    this.count += truth.length;
  }

  /** The totals so far. */
  result(): { loss: number; top1: number; top5: number; count: number; confusion: number[][] } {
    const n = Math.max(this.count, 1);
    return { loss: this.lossSum / n, top1: this.top1 / n, top5: this.top5 / n, count: this.count, confusion: this.confusion };
  }
}

/** Precision, recall and support of one class. */
export interface ClassScores {
  name: string;
  /** Of the images predicted as this class, the fraction that are (0 when none was predicted). */
  precision: number;
  /** Of the images of this class, the fraction predicted as it (0 when the set has none). */
  recall: number;
  /** Images of this class in the set. */
  support: number;
}

/** Per-class precision and recall from `confusion[truth][predicted]`. */
export function perClassScores(confusion: number[][], classNames: readonly string[]): ClassScores[] {
  return classNames.map((name, k) => {
    const row = confusion[k] ?? [];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + (r[k] ?? 0), 0);
    const hits = row[k] ?? 0;
    return { name, precision: predicted > 0 ? hits / predicted : 0, recall: support > 0 ? hits / support : 0, support };
  });
}
