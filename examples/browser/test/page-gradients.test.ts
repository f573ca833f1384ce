import { initBackend } from '@convkit/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gradientCases } from '../src/gradient-cases.js';
import { callPage, type OpenPage, openApp } from './support/page.js';

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - (b[i] as number))), 0);
}

describe("convkit's wasm training kernels in the page (headless Chromium)", () => {
  let app: OpenPage;
  beforeAll(async () => {
    app = await openApp(inject('pageUrl'));
  });
  afterAll(() => app?.close());

  it('give the same gradients in the page as in Node on the same seeded cases', async () => {
    const inPage = await callPage(app.page, 'gradients', 'wasm');
    await initBackend('wasm');
    const inNode = gradientCases();
    expect(Object.keys(inPage).sort()).toEqual(Object.keys(inNode).sort());
    for (const [name, node] of Object.entries(inNode)) {
      const page = inPage[name];
      expect(page, name).toBeDefined();
      // The gradients are non-trivial, so equal numbers are not two zeros.
      expect(Math.max(...node.dx.map(Math.abs)), name).toBeGreaterThan(0.1);
      expect(maxAbsDiff(page?.dx ?? [], node.dx), `${name} dx`).toBeLessThan(1e-5);
      if (node.df) expect(maxAbsDiff(page?.df ?? [], node.df), `${name} df`).toBeLessThan(1e-5);
    }
    expect(app.errors).toEqual([]);
  });
});
