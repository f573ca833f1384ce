import { type BackendReport, type BrowserBackendName, type BrowserBackendPreference, initBackend } from '@convkit/core';
import { type EpochMetrics, generateShapes, type StepMetrics, trainInMemory } from '@convkit/train';
import { pageRegistry } from './registry-setup.js';
import type { ModelSession } from './session.js';

/** A training request from the page's form (or a test). */
export interface TrainRequest {
  arch: string;
  /** Options of the architecture's builder (e.g. LeNet-5's `activation`); `numClasses` and `inputShape` come from the data. */
  archOptions?: Record<string, unknown>;
  backend: BrowserBackendPreference;
  epochs: number;
  trainSize?: number;
  testSize?: number;
  seed?: number;
  batchSize?: number;
  lr?: number;
}

/** What the page shows after a run. */
export interface TrainSummary {
  session: ModelSession;
  backend: BackendReport<BrowserBackendName>;
  testAccuracy: number;
  testLoss: number;
  imagesPerSecond: number;
  history: EpochMetrics[];
}

/** Live reports of a run, to draw the curve and the table while it trains. */
export interface TrainListeners {
  onBackend(report: BackendReport<BrowserBackendName>): void;
  onStep(step: StepMetrics, totalSteps: number): void;
  onEpoch(metrics: EpochMetrics): void;
}

/**
 * Trains `request.arch` on the embedded `shapes` data in this page with convkit's trainer (the one
 * `convkit train` runs, without files), after activating the requested backend.
 */
export async function trainOnShapes(request: TrainRequest, listeners: TrainListeners): Promise<TrainSummary> {
  const backend = await initBackend(request.backend);
  listeners.onBackend(backend);
  const seed = request.seed ?? 0;
  const data = generateShapes({
    seed,
    ...(request.trainSize ? { trainSize: request.trainSize } : {}),
    ...(request.testSize ? { testSize: request.testSize } : {}),
  });
  const batchSize = request.batchSize ?? 32;
  // The trainer holds out a tenth for validation by default; steps per epoch follow from what is left.
  const totalSteps = Math.ceil((data.train.size * 0.9) / batchSize) * request.epochs;
  const archOptions = request.archOptions ?? {};
  const result = await trainInMemory({
    arch: request.arch,
    archOptions,
    data,
    epochs: request.epochs,
    seed,
    batchSize,
    ...(request.lr ? { lr: request.lr } : {}),
    registry: pageRegistry,
    onStep: (step) => listeners.onStep(step, totalSteps),
    callbacks: [{ onEpochEnd: (m) => listeners.onEpoch(m) }],
  });
  const [h, w, c] = data.train.shape;
  const metadata = {
    arch: request.arch,
    archOptions,
    dataset: data.name,
    data: data.name,
    seed,
    epoch: result.history.length,
    inputShape: [h, w, c] as [number, number, number],
    classNames: result.classNames,
    normalization: result.normalization,
  };
  return {
    session: { model: result.model, metadata, kind: result.kinds[0] ?? 'logits' },
    backend,
    testAccuracy: result.testAccuracy,
    testLoss: result.testLoss,
    imagesPerSecond: result.imagesPerSecond,
    history: result.history,
  };
}
