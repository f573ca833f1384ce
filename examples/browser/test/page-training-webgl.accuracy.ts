import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type OpenPage, openApp } from './support/page.js';
import { LENET5_PAPER_RUN } from './support/page-runs.js';
import { trainInPage } from './support/train-in-page.js';

// A measurement, not part of `pnpm test`: run with `pnpm test:accuracy`. SwiftShader's webgl trains
// the paper's LeNet-5 at about 60 images/s on two cores, so this run takes about four minutes.
describe('training in the page on webgl (headless Chromium)', () => {
  let app: OpenPage;
  beforeAll(async () => {
    app = await openApp(inject('pageUrl'));
  });
  afterAll(() => app?.close());

  it('the paper LeNet-5 trains on shapes on webgl to at least 90% test accuracy with the wasm case’s settings, as the page shows it', async () => {
    const outcome = await trainInPage(app, { ...LENET5_PAPER_RUN, backend: 'webgl' }, 'lenet5-shapes-webgl');
    expect(outcome.device).toBe('GPU (WebGL 2)');
    expect(outcome.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(outcome.padRight).toBeGreaterThanOrEqual(0.75);
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  });
});
