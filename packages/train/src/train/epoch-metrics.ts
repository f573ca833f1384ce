/** What one epoch measured; one line of `metrics.jsonl`. */
export interface EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  /** Validation figures, when a validation split is held out. */
  valLoss?: number;
  valAccuracy?: number;
  valTop5?: number;
  /** Validation figures of the EMA weights, with `ema`. */
  emaValLoss?: number;
  emaValAccuracy?: number;
  /** With loss scaling: the scale after the epoch, and the steps it skipped because a gradient overflowed. */
  lossScale?: number;
  skippedSteps?: number;
  /** With progressive resizing: the side of the square images the epoch trained on. */
  inputSize?: number;
  /** Learning rate at the epoch's last step. */
  learningRate: number;
  /** Wall-clock seconds of the epoch's training steps. */
  seconds: number;
  /** Training images per second over the epoch. */
  imagesPerSecond: number;
}
