import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateShapes } from '@convkit/train';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { callPage, type OpenPage, openApp } from './support/page.js';
import { TEST_RESULTS } from './support/page-build.js';

/**
 * The smallest `shapes` run that LeNet-5 learns past 90% with margin, so the test costs a loaded
 * 2-core machine well under a minute of wasm training (Node reaches the same figure on the same seed).
 */
const PAGE_RUN = { arch: 'lenet5', epochs: 4, trainSize: 4000, testSize: 500, batchSize: 32, lr: 0.003, seed: 0 } as const;

describe('training in the page (headless Chromium)', () => {
  let app: OpenPage;
  beforeAll(async () => {
    app = await openApp(inject('pageUrl'));
  });
  afterAll(() => app?.close());

  it('LeNet-5 trains on shapes on wasm to at least 90% test accuracy, as the page shows it', async () => {
    const result = await callPage(app.page, 'train', { ...PAGE_RUN, backend: 'wasm' });
    expect(result.backend).toBe('wasm');
    // Read back what the page shows, not only what the API returned: the figure a user sees.
    const shown = Number(await app.page.getAttribute('#test-result', 'data-accuracy'));
    expect(shown).toBe(result.testAccuracy);
    expect(await app.page.textContent('#test-result')).toBe(`test accuracy ${(100 * shown).toFixed(2)}%`);
    expect(shown).toBeGreaterThanOrEqual(0.9);
    expect(await app.page.locator('#epochs-table tbody tr').count()).toBe(PAGE_RUN.epochs);

    // A test image of each class drawn on the pad: the page lists its top classes, and they are mostly right.
    const test = generateShapes({ seed: 7, trainSize: 1, testSize: 40 }).test;
    const [h, w, c] = test.shape;
    let right = 0;
    for (let i = 0; i < test.size; i++) {
      const scores = await callPage(app.page, 'classifyPixels', Buffer.from(test.pixels(i)).toString('base64'), h, w, c);
      if (scores[0]?.className === test.classNames[test.labels[i] as number]) right++;
    }
    expect(right / test.size).toBeGreaterThanOrEqual(0.75);
    const listed = await app.page.locator('#prediction li').allTextContents();
    expect(listed).toHaveLength(3);

    mkdirSync(TEST_RESULTS, { recursive: true });
    await app.page.screenshot({ path: join(TEST_RESULTS, 'lenet5-shapes-wasm.png'), fullPage: true });
    writeFileSync(
      join(TEST_RESULTS, 'lenet5-shapes-wasm.json'),
      JSON.stringify({ ...PAGE_RUN, ...result, padRight: right / test.size }, null, 2),
    );
    expect(app.errors).toEqual([]);
  });
});
