/** What one optimizer step measured; a `"type":"step"` line of `metrics.jsonl`. */
export interface StepMetrics {
  /** 1-based epoch the step belongs to. */
  epoch: number;
  /** 1-based optimizer step over the whole run. */
  step: number;
  /** Loss and top-1 accuracy of the step's batch (not a running mean). */
  loss: number;
  accuracy: number;
  learningRate: number;
}
