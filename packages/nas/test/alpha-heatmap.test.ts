import { describe, expect, it } from 'vitest';
import { alphaHeatmapSvg, PRIMITIVES } from '../src/index.js';
import { heatmapLayout } from '../src/search/alpha-heatmap.js';

// Text boxes from baselines: a line of size s spans about s above its baseline and s / 4 below.
const DESCENT = 0.25;
const TITLE = 14;

describe("the alpha heatmap's layout", () => {
  const layout = heatmapLayout();

  it("stacks the figure's title, the panels' titles, the rotated op names and the squares without overlap", () => {
    expect(layout.titleY + TITLE * DESCENT).toBeLessThan(layout.panelTitleY - TITLE);
    // the longest op name, rotated, must stay below the panel title
    expect(layout.panelTitleY + TITLE * DESCENT).toBeLessThan(layout.labelY - layout.labelRise);
    expect(layout.labelY).toBeLessThan(layout.top);
    // 12 characters of 10 px sans-serif are over 60 px wide: rotated by 60 degrees they rise over 52 px
    expect(layout.labelRise).toBeGreaterThan(52);
  });

  it("leaves room for the last column's op name, which leans right, and puts the SVG on that layout", () => {
    const lastColumnCentre = layout.panelX[1] + (PRIMITIVES.length - 0.5) * 22;
    expect(layout.width).toBeGreaterThanOrEqual(lastColumnCentre + layout.labelReach);
    const row = Array(PRIMITIVES.length).fill(0);
    const svg = alphaHeatmapSvg({ normal: Array(14).fill(row), reduce: Array(14).fill(row) }, 'softmax(alpha) after epoch 2');
    expect(svg).toContain(`width="${layout.width}" height="${layout.height}"`);
    expect(svg).toContain(`y="${layout.titleY}" font-size="14">softmax(alpha) after epoch 2</text>`);
    expect(svg).toContain(`y="${layout.panelTitleY}" font-size="14" font-weight="bold">normal cell</text>`);
    expect(svg).toContain(`translate(${layout.panelX[0] + 11},${layout.labelY}) rotate(-60)`);
  });
});
