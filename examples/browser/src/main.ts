import './backends.js';
import { BROWSER_BACKEND_ORDER, type BrowserBackendPreference, describeBackend, parseBrowserBackendPreference } from '@convkit/core';
import type { EpochMetrics, StepMetrics } from '@convkit/train';
import { drawCurve } from './curve.js';
import { appendEpochRow } from './epoch-table.js';
import { download, openFromIndexedDb, openPickedFiles, saveToIndexedDb } from './model-store.js';
import { type PageApi, pageApi } from './page-api.js';
import { architectureNames } from './registry-setup.js';
import { type ClassScore, classify, type ModelSession } from './session.js';
import { SketchPad } from './sketch-pad.js';
import { type TrainRequest, trainOnShapes } from './train-run.js';

declare global {
  interface Window {
    /** The page's controls as functions, for scripts and the end-to-end tests. */
    convkitPage: PageApi;
  }
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page lacks #${id}`);
  return found as T;
}

const ui = {
  arch: element<HTMLSelectElement>('arch'),
  backend: element<HTMLSelectElement>('backend'),
  epochs: element<HTMLInputElement>('epochs'),
  trainSize: element<HTMLInputElement>('train-size'),
  train: element<HTMLButtonElement>('train'),
  status: element<HTMLParagraphElement>('train-status'),
  backendLine: element<HTMLParagraphElement>('backend-line'),
  curve: element<HTMLCanvasElement>('curve'),
  table: element<HTMLTableElement>('epochs-table'),
  testResult: element<HTMLParagraphElement>('test-result'),
  classify: element<HTMLButtonElement>('classify'),
  clear: element<HTMLButtonElement>('clear'),
  prediction: element<HTMLOListElement>('prediction'),
  modelName: element<HTMLInputElement>('model-name'),
  saveIdb: element<HTMLButtonElement>('save-idb'),
  loadIdb: element<HTMLButtonElement>('load-idb'),
  download: element<HTMLButtonElement>('download'),
  upload: element<HTMLInputElement>('upload'),
  modelStatus: element<HTMLParagraphElement>('model-status'),
};

const pad = new SketchPad(element<HTMLCanvasElement>('pad'));
let session: ModelSession | undefined;

for (const name of architectureNames()) ui.arch.add(new Option(name, name));
for (const name of ['auto', ...BROWSER_BACKEND_ORDER]) ui.backend.add(new Option(name, name));
const query = new URLSearchParams(location.search);
ui.backend.value = query.get('backend') ?? 'auto';

function adopt(next: ModelSession): void {
  if (session && session.model !== next.model) session.model.dispose();
  session = next;
  for (const button of [ui.classify, ui.saveIdb, ui.download]) button.disabled = false;
  ui.modelStatus.textContent = `model: ${next.metadata.arch} trained on ${next.metadata.dataset} (${next.metadata.classNames.length} classes)`;
}

function showPrediction(scores: ClassScore[]): ClassScore[] {
  ui.prediction.replaceChildren(
    ...scores.slice(0, 3).map((s) => {
      const item = document.createElement('li');
      item.textContent = `${s.className} ${(100 * s.probability).toFixed(1)}%`;
      return item;
    }),
  );
  return scores;
}

function classifyPad(): ClassScore[] {
  if (!session) throw new Error('no model yet: train one or open one first');
  const [h, w, c] = session.metadata.inputShape;
  return showPrediction(classify(session, pad.pixels(h, w, c)));
}

/** Shows a scripted request in the form, so the page (and a screenshot of it) says what it trains. */
function showRequest(request: TrainRequest): void {
  ui.arch.value = request.arch;
  if (typeof request.backend === 'string') ui.backend.value = request.backend;
  ui.epochs.value = String(request.epochs);
  if (request.trainSize) ui.trainSize.value = String(request.trainSize);
}

/** The architecture of a request as the status line names it, with any builder options (`lenet5 (activation relu)`). */
function archLabel(request: TrainRequest): string {
  const options = Object.entries(request.archOptions ?? {}).map(([name, value]) => `${name} ${String(value)}`);
  return options.length > 0 ? `${request.arch} (${options.join(', ')})` : request.arch;
}

async function trainFromForm(request: TrainRequest) {
  showRequest(request);
  ui.train.disabled = true;
  ui.table.tBodies[0]?.replaceChildren();
  ui.testResult.textContent = '';
  const steps: StepMetrics[] = [];
  const epochs: EpochMetrics[] = [];
  let total = 1;
  let lastDraw = 0;
  try {
    ui.status.textContent = `training ${archLabel(request)}…`;
    const summary = await trainOnShapes(request, {
      onBackend: (report) => (ui.backendLine.textContent = describeBackend(report)),
      onStep(step, totalSteps) {
        steps.push(step);
        total = totalSteps;
        // Redrawing on every step would cost more than a small model's step.
        if (performance.now() - lastDraw > 250) {
          lastDraw = performance.now();
          drawCurve(ui.curve, steps, epochs, total);
          ui.status.textContent = `epoch ${step.epoch}, step ${step.step}/${total}, loss ${step.loss.toFixed(3)}`;
        }
      },
      onEpoch(metrics) {
        epochs.push(metrics);
        const body = ui.table.tBodies[0];
        if (body) appendEpochRow(body, metrics);
        drawCurve(ui.curve, steps, epochs, total);
      },
    });
    drawCurve(ui.curve, steps, epochs, total);
    adopt(summary.session);
    ui.status.textContent = `trained ${archLabel(request)} for ${summary.history.length} epochs at ${summary.imagesPerSecond.toFixed(0)} images/s`;
    ui.testResult.textContent = `test accuracy ${(100 * summary.testAccuracy).toFixed(2)}%`;
    ui.testResult.dataset.accuracy = String(summary.testAccuracy);
    return {
      testAccuracy: summary.testAccuracy,
      backend: summary.backend.backend,
      device: summary.backend.device,
      imagesPerSecond: summary.imagesPerSecond,
      epochs: summary.history.length,
    };
  } catch (error) {
    ui.status.textContent = `training failed: ${error instanceof Error ? error.message : String(error)}`;
    throw error;
  } finally {
    ui.train.disabled = false;
  }
}

ui.train.addEventListener('click', () => {
  const request: TrainRequest = {
    arch: ui.arch.value,
    backend: parseBrowserBackendPreference(ui.backend.value) as BrowserBackendPreference,
    epochs: Number(ui.epochs.value),
    trainSize: Number(ui.trainSize.value),
  };
  void trainFromForm(request).catch(() => {});
});
ui.clear.addEventListener('click', () => {
  pad.clear();
  ui.prediction.replaceChildren();
});
ui.classify.addEventListener('click', () => classifyPad());

async function modelAction(action: () => Promise<string>): Promise<void> {
  try {
    ui.modelStatus.textContent = await action();
  } catch (error) {
    ui.modelStatus.textContent = error instanceof Error ? error.message : String(error);
  }
}
ui.saveIdb.addEventListener('click', () =>
  modelAction(async () => {
    if (!session) return 'no model to save';
    await saveToIndexedDb(session, ui.modelName.value);
    return `saved to IndexedDB as "${ui.modelName.value}"`;
  }),
);
ui.loadIdb.addEventListener('click', () =>
  modelAction(async () => {
    adopt(await openFromIndexedDb(ui.modelName.value));
    return `opened "${ui.modelName.value}" from IndexedDB`;
  }),
);
ui.download.addEventListener('click', () =>
  modelAction(async () => {
    if (!session) return 'no model to download';
    await download(session);
    return 'downloaded model.json, its weights and convkit-train.json: keep them in one folder';
  }),
);
ui.upload.addEventListener('change', () =>
  modelAction(async () => {
    adopt(await openPickedFiles([...(ui.upload.files ?? [])]));
    return 'opened the chosen model files';
  }),
);

window.convkitPage = pageApi(
  () => session,
  adopt,
  trainFromForm,
  (pixels, h, w, c) => {
    pad.drawPixels(pixels, h, w, c);
    return classifyPad();
  },
);
document.body.dataset.ready = 'true';
