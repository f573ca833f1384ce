import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateShapes } from '@convkit/train';
import { expect } from 'vitest';
import type { TrainRequest } from '../../src/train-run.js';
import { callPage, type OpenPage } from './page.js';
import { TEST_RESULTS } from './page-build.js';

/** What a training run in the page showed: its test accuracy, its pad predictions, and where its screenshot is. */
export interface PageTrainingOutcome {
  testAccuracy: number;
  imagesPerSecond: number;
  device: string;
  padRight: number;
  screenshot: string;
}

/**
 * Trains `request` through the page's form path and checks what a user sees: the test accuracy the
 * page shows equals the run's, the table has a row per epoch, and a test image of each class drawn
 * on the pad is mostly classified right. Then takes a screenshot of the curve and the last
 * prediction and writes the figures beside it, as `test-results/<name>.png` and `.json`.
 */
export async function trainInPage(app: OpenPage, request: TrainRequest, name: string): Promise<PageTrainingOutcome> {
  const result = await callPage(app.page, 'train', request);
  expect(result.backend).toBe(request.backend);
  // Read back what the page shows, not only what the API returned: the figure a user sees.
  const shown = Number(await app.page.getAttribute('#test-result', 'data-accuracy'));
  expect(shown).toBe(result.testAccuracy);
  expect(await app.page.textContent('#test-result')).toBe(`test accuracy ${(100 * shown).toFixed(2)}%`);
  expect(await app.page.locator('#epochs-table tbody tr').count()).toBe(request.epochs);

  const test = generateShapes({ seed: 7, trainSize: 1, testSize: 40 }).test;
  const [h, w, c] = test.shape;
  let right = 0;
  for (let i = 0; i < test.size; i++) {
    const scores = await callPage(app.page, 'classifyPixels', Buffer.from(test.pixels(i)).toString('base64'), h, w, c);
    if (scores[0]?.className === test.classNames[test.labels[i] as number]) right++;
  }
  expect(await app.page.locator('#prediction li').allTextContents()).toHaveLength(3);

  mkdirSync(TEST_RESULTS, { recursive: true });
  const screenshot = join(TEST_RESULTS, `${name}.png`);
  await app.page.screenshot({ path: screenshot, fullPage: true });
  const outcome = {
    testAccuracy: shown,
    imagesPerSecond: result.imagesPerSecond,
    device: result.device,
    padRight: right / test.size,
    screenshot,
  };
  writeFileSync(join(TEST_RESULTS, `${name}.json`), JSON.stringify({ ...request, ...result, ...outcome }, null, 2));
  expect(app.errors).toEqual([]);
  return outcome;
}
