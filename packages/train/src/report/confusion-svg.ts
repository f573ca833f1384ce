import { escapeXml, svgDocument } from './svg-chart.js';

const CELL = 36;

// White to dark blue; text turns white on dark cells so counts stay legible.
function cellColor(fraction: number): string {
  const mix = (from: number, to: number) => Math.round(from + (to - from) * fraction);
  return `rgb(${mix(255, 8)},${mix(255, 48)},${mix(255, 107)})`;
}

/**
 * The confusion matrix as a heat map: one row per true class, one column per predicted class, each
 * cell shaded by the fraction of its row (so a rare class reads as clearly as a common one) and
 * labelled with its count; class names on both axes.
 */
export function confusionMatrixSvg(confusion: number[][], classNames: readonly string[], title = 'Confusion matrix'): string {
  const n = classNames.length;
  const labelWidth = Math.min(160, 12 + 7 * Math.max(...classNames.map((c) => c.length), 1));
  const left = labelWidth + 24;
  const top = 40;
  const bottom = labelWidth + 28;
  const width = left + n * CELL + 16;
  const height = top + n * CELL + bottom;
  const parts: string[] = [`<g font-family="DejaVu Sans, sans-serif" font-size="11">`];
  parts.push(`<text x="${width / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`);
  for (let row = 0; row < n; row++) {
    const counts = confusion[row] ?? [];
    const total = counts.reduce((a, b) => a + b, 0);
    for (let column = 0; column < n; column++) {
      const count = counts[column] ?? 0;
      const fraction = total > 0 ? count / total : 0;
      const x = left + column * CELL;
      const y = top + row * CELL;
      parts.push(`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${cellColor(fraction)}" stroke="#ccc"/>`);
      const ink = fraction > 0.5 ? 'white' : 'black';
      parts.push(`<text x="${x + CELL / 2}" y="${y + CELL / 2 + 4}" text-anchor="middle" fill="${ink}">${count}</text>`);
    }
    const name = escapeXml(classNames[row] ?? String(row));
    parts.push(`<text x="${left - 6}" y="${top + row * CELL + CELL / 2 + 4}" text-anchor="end">${name}</text>`);
    const cx = left + row * CELL + CELL / 2;
    parts.push(`<text transform="translate(${cx + 4},${top + n * CELL + 6}) rotate(-90)" text-anchor="end">${name}</text>`);
  }
  parts.push(`<text transform="translate(12,${top + (n * CELL) / 2}) rotate(-90)" text-anchor="middle">true class</text>`);
  parts.push(`<text x="${left + (n * CELL) / 2}" y="${height - 8}" text-anchor="middle">predicted class</text>`);
  parts.push('</g>');
  return svgDocument(title, width, height, parts.join(''));
}
