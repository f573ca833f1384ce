import { escapeXml } from '@convkit/train';
import { CELL_EDGES, CELL_STEPS } from '../cell-geometry.js';
import { PRIMITIVES, type Primitive } from '../primitives.js';
import type { AlphaValues } from '../search-network.js';
import { softmax } from '../softmax.js';

const CELL = 22;
const LEFT = 92;
const TOP = 96;
const GAP = 40;

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

function panel(title: string, alphas: number[][], x0: number, ops: Primitive[][] | undefined): string {
  const labels = edgeLabels();
  const parts = [`<text x="${x0}" y="${TOP - 70}" font-size="14" font-weight="bold">${escapeXml(title)}</text>`];
  PRIMITIVES.forEach((name, k) => {
    const x = x0 + k * CELL + CELL / 2;
    parts.push(`<text transform="translate(${x},${TOP - 6}) rotate(-60)" font-size="10">${escapeXml(name)}</text>`);
  });
  alphas.forEach((row, e) => {
    const y = TOP + e * CELL;
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
  const panelWidth = LEFT + PRIMITIVES.length * CELL;
  const width = 2 * panelWidth + GAP + 20;
  const height = TOP + CELL_EDGES * CELL + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14">${escapeXml(title)}</text>`,
    panel('normal cell', alphas.normal, LEFT, alphas.ops?.normal),
    panel('reduction cell', alphas.reduce, 2 * LEFT + PRIMITIVES.length * CELL + GAP, alphas.ops?.reduce),
    '</svg>',
  ].join('\n');
}
