import { escapeXml } from '@convkit/train';
import { CELL_EDGES, CELL_STEPS } from '../cell-geometry.js';
import { PRIMITIVES, type Primitive } from '../primitives.js';
import type { AlphaValues } from '../search-network.js';
import { softmax } from '../softmax.js';

const CELL = 22;
const LEFT = 92;
const GAP = 40;
const MARGIN = 10;
const TITLE_SIZE = 14;
const LABEL_SIZE = 10;
// A sans-serif glyph is at most about 0.62 em wide on average (DejaVu Sans, what the PNGs are drawn with).
const EM_WIDTH = 0.62;
// The op names are drawn rotated by this much above the columns.
const LABEL_ANGLE = 60;

/** Where the heatmap's parts go, in SVG pixels; y values are text baselines. */
export interface HeatmapLayout {
  titleY: number;
  panelTitleY: number;
  /** Baseline origin of the rotated op names, just above the first row. */
  labelY: number;
  /** Top of the first row of squares. */
  top: number;
  /** Left edge of each panel's squares. */
  panelX: [number, number];
  width: number;
  height: number;
  /** How far the longest rotated op name rises above `labelY` and reaches right of its column's centre. */
  labelRise: number;
  labelReach: number;
}

/**
 * The layout arithmetic: the figure's title, then the panels' titles a line below, then the rotated op
 * names, whose height the longest name decides, then the squares; the width leaves room for the last
 * column's name, which leans right.
 */
export function heatmapLayout(): HeatmapLayout {
  const longest = Math.max(...PRIMITIVES.map((name) => name.length)) * LABEL_SIZE * EM_WIDTH;
  const angle = (LABEL_ANGLE * Math.PI) / 180;
  const labelRise = Math.ceil(longest * Math.sin(angle) + LABEL_SIZE * Math.cos(angle));
  const labelReach = Math.ceil(longest * Math.cos(angle));
  const titleY = MARGIN + TITLE_SIZE;
  const panelTitleY = titleY + TITLE_SIZE + 10;
  const labelY = panelTitleY + 8 + labelRise;
  const top = labelY + 6;
  const panelWidth = PRIMITIVES.length * CELL;
  const panelX: [number, number] = [LEFT, 2 * LEFT + panelWidth + GAP];
  const width = panelX[1] + panelWidth - CELL / 2 + labelReach + MARGIN;
  return { titleY, panelTitleY, labelY, top, panelX, width, height: top + CELL_EDGES * CELL + 20, labelRise, labelReach };
}

/** "node n <- state s" for each edge in the cells' order (states 0 and 1 are the cell's inputs). */
function edgeLabels(): string[] {
  const labels: string[] = [];
  for (let node = 0; node < CELL_STEPS; node++) {
    for (let source = 0; source < node + 2; source++) {
      labels.push(`n${node} <- ${source < 2 ? `in${source}` : `n${source - 2}`}`);
    }
  }
  return labels;
}

/** White (weight 0) to dark blue (weight 1). */
function shade(weight: number): string {
  const t = Math.min(1, Math.max(0, weight));
  const channel = (from: number, to: number) => Math.round(from + (to - from) * t);
  return `rgb(${channel(255, 8)},${channel(255, 48)},${channel(255, 107)})`;
}

function panel(title: string, alphas: number[][], x0: number, ops: Primitive[][] | undefined, layout: HeatmapLayout): string {
  const labels = edgeLabels();
  const parts = [`<text x="${x0}" y="${layout.panelTitleY}" font-size="${TITLE_SIZE}" font-weight="bold">${escapeXml(title)}</text>`];
  PRIMITIVES.forEach((name, k) => {
    const x = x0 + k * CELL + CELL / 2;
    parts.push(
      `<text transform="translate(${x},${layout.labelY}) rotate(-${LABEL_ANGLE})" font-size="${LABEL_SIZE}">${escapeXml(name)}</text>`,
    );
  });
  alphas.forEach((row, e) => {
    const y = layout.top + e * CELL;
    parts.push(`<text x="${x0 - 6}" y="${y + CELL * 0.65}" font-size="10" text-anchor="end">${escapeXml(labels[e] ?? '')}</text>`);
    softmax(row).forEach((weight, k) => {
      // a pruned edge's candidates sit in their own columns; the dropped ops' squares stay empty
      const x = x0 + (ops ? PRIMITIVES.indexOf(ops[e]?.[k] as Primitive) : k) * CELL;
      parts.push(`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${shade(weight)}" stroke="#ccc"/>`);
      parts.push(
        `<text x="${x + CELL / 2}" y="${y + CELL * 0.65}" font-size="7" text-anchor="middle" fill="${weight > 0.5 ? '#fff' : '#333'}">${weight.toFixed(2)}</text>`,
      );
    });
  });
  return parts.join('');
}

/**
 * A heatmap of softmax(alpha) per edge: one panel per cell type, a row per edge (14) and a column
 * per primitive (8), each square shaded and labelled with the op's weight on that edge; the ops a
 * pruned search space no longer has on an edge are left blank.
 */
export function alphaHeatmapSvg(alphas: AlphaValues, title: string): string {
  const layout = heatmapLayout();
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN}" y="${layout.titleY}" font-size="${TITLE_SIZE}">${escapeXml(title)}</text>`,
    panel('normal cell', alphas.normal, layout.panelX[0], alphas.ops?.normal, layout),
    panel('reduction cell', alphas.reduce, layout.panelX[1], alphas.ops?.reduce, layout),
    '</svg>',
  ].join('\n');
}
