import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BrowserBackendPreference, initBackend } from '@convkit/core';
import { generateShapes } from '@convkit/train';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pageRegistry } from '../src/registry-setup.js';
import { outputsOf } from '../src/session.js';
import { openTrainedModel } from './support/node-train.js';
import { callPage, type OpenPage, openApp } from './support/page.js';
import { APP, EXCHANGE, EXCHANGE_URL, TEST_RESULTS } from './support/page-build.js';

const CLI = join(APP, '..', '..', 'packages', 'cli', 'bin', 'run.js');

/** Images neither model trained on (another seed than either run's), the same bytes fed in Node and in the page. */
const PROBE = generateShapes({ seed: 11, trainSize: 1, testSize: 24 }).test;
const PROBE_BASE64 = Buffer.from(PROBE.images).toString('base64');

/**
 * The issue's bound on every backend. wasm and cpu run the same kernels as Node's and agree exactly;
 * WebGL (here SwiftShader behind ANGLE) sums in its shaders' own order, about 1e-6 apart on these logits.
 */
const LOGIT_BOUND = 1e-4;

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - (b[i] as number))), 0);
}

function argmaxes(logits: readonly number[], classes: number): number[] {
  return Array.from({ length: logits.length / classes }, (_, i) => {
    const row = logits.slice(i * classes, (i + 1) * classes);
    return row.indexOf(Math.max(...row));
  });
}

/** The logits Node computes for the probe images with the model folder `folder` on `backend`. */
async function nodeLogits(folder: string, backend: BrowserBackendPreference): Promise<number[]> {
  await initBackend(backend);
  const trained = await openTrainedModel(folder, pageRegistry);
  try {
    return Array.from(outputsOf({ model: trained.model, metadata: trained.metadata, kind: trained.outputKind }, PROBE.images, PROBE.size));
  } finally {
    trained.model.dispose();
  }
}

describe('models move between Node and the page (headless Chromium)', () => {
  let app: OpenPage;
  beforeAll(async () => {
    app = await openApp(inject('pageUrl'));
  });
  afterAll(() => app?.close());

  it('a model trained by `convkit train` in Node gives the same logits in the page: < 1e-4 on wasm, cpu and webgl', async () => {
    const out = join(EXCHANGE, 'node-run');
    await promisify(execFile)(
      process.execPath,
      [CLI, 'train', '--arch', 'lenet5', '--data', 'shapes', '--epochs', '1', '--seed', '0', '--out', out, '--overwrite', '--json'],
      { cwd: APP },
    );
    const url = `${EXCHANGE_URL}/node-run/model`;
    const classes = PROBE.numClasses;
    const measured: Record<string, number> = {};
    const reference = await nodeLogits(out, 'cpu');
    // Trained logits, not a near-constant output that any two models would share.
    expect(Math.max(...reference) - Math.min(...reference)).toBeGreaterThan(1);
    // Node has no webgl: the page's webgl logits are held to Node's cpu ones.
    for (const [backend, nodeBackend] of [
      ['wasm', 'wasm'],
      ['cpu', 'cpu'],
      ['webgl', 'cpu'],
    ] as const) {
      const opened = await callPage(app.page, 'openUrl', url, backend);
      expect(opened.arch).toBe('lenet5');
      const inPage = await callPage(app.page, 'outputs', PROBE_BASE64, PROBE.size);
      const inNode = nodeBackend === 'cpu' ? reference : await nodeLogits(out, nodeBackend);
      measured[`page ${backend} vs Node ${nodeBackend}`] = maxAbsDiff(inPage, inNode);
      expect(measured[`page ${backend} vs Node ${nodeBackend}`]).toBeLessThan(LOGIT_BOUND);
      expect(argmaxes(inPage, classes)).toEqual(argmaxes(inNode, classes));
    }
    mkdirSync(TEST_RESULTS, { recursive: true });
    writeFileSync(
      join(TEST_RESULTS, 'node-model-in-page.json'),
      JSON.stringify({ images: PROBE.size, maxAbsLogitDiff: measured }, null, 2),
    );
    expect(app.errors).toEqual([]);
  });

  it('a model trained in the page, downloaded with its button, loads in Node with the same logits (< 1e-4 on wasm), and reopens from IndexedDB after a reload', async () => {
    await callPage(app.page, 'train', { arch: 'lenet5', backend: 'wasm', epochs: 1, trainSize: 1000, testSize: 100, seed: 3 });
    const inPage = await callPage(app.page, 'outputs', PROBE_BASE64, PROBE.size);

    const folder = join(EXCHANGE, 'page-download');
    mkdirSync(folder, { recursive: true });
    const downloads: Download[] = [];
    app.page.on('download', (download) => downloads.push(download));
    await app.page.click('#download');
    await expect.poll(() => downloads.length).toBe(3);
    for (const download of downloads) await download.saveAs(join(folder, download.suggestedFilename()));
    const names = downloads.map((d) => d.suggestedFilename()).sort();
    expect(names).toEqual(['convkit-train.json', 'model.json', expect.stringMatching(/^weights-[0-9a-f]{16}\.bin$/)]);

    const inNode = await nodeLogits(folder, 'wasm');
    expect(maxAbsDiff(inPage, inNode)).toBeLessThan(LOGIT_BOUND);
    expect(argmaxes(inPage, PROBE.numClasses)).toEqual(argmaxes(inNode, PROBE.numClasses));

    // IndexedDB outlives the page: save, reload, reopen, and the same weights give the same logits.
    await callPage(app.page, 'saveToIndexedDb', 'exchange-test');
    await app.page.reload();
    await app.page.waitForSelector('body[data-ready="true"]');
    await callPage(app.page, 'openFromIndexedDb', 'exchange-test', 'wasm');
    expect(await callPage(app.page, 'outputs', PROBE_BASE64, PROBE.size)).toEqual(inPage);
    expect(app.errors).toEqual([]);
  });
});
