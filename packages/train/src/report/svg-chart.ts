/** One line of a chart: a name for the legend and its (x, y) points. */
export interface ChartSeries {
  name: string;
  points: [number, number][];
  color: string;
  /** Dots at the points: for a few points per series (epochs), not for thousands (steps). Default true. */
  dots?: boolean;
  /** Join the points with a line; default true. False draws a scatter plot (dots only). */
  line?: boolean;
  /** Line width; default 2. Thin, pale lines suit noisy per-step series. */
  width?: number;
  opacity?: number;
}

/** A line chart: title, axis labels, series. */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** A fixed value range (accuracy: 0 to 1); default the range of the data. */
  yRange?: [number, number];
}

/** Escapes text for SVG content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Round tick values covering `values`: a step of 1, 2 or 5 times a power of ten giving about
 * `count` intervals, and the range widened to whole steps (so ticks read 0, 0.5, 1.0, not 0.137).
 */
export function niceTicks(values: number[], count = 5): number[] {
  const finite = values.filter(Number.isFinite);
  let low = finite.length > 0 ? Math.min(...finite) : 0;
  let high = finite.length > 0 ? Math.max(...finite) : 1;
  if (low === high) {
    low -= 0.5;
    high += 0.5;
  }
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  // Multiplying (rather than accumulating) keeps 0.1 * 3 from printing as 0.30000000000000004.
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
}

function tickLabel(value: number, ticks: number[]): string {
  const step = Math.abs((ticks[1] ?? 1) - (ticks[0] ?? 0));
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals);
}

const MARGIN = { left: 58, right: 14, top: 46, bottom: 42 };

/**
 * SVG markup (a `<g>` element) of one line chart with round-number ticks on both axes and the
 * legend in a row above the plot, where it can never cover the data.
 */
export function renderLineChart(chart: LineChart, box: { x: number; y: number; width: number; height: number }): string {
  const plotW = box.width - MARGIN.left - MARGIN.right;
  const plotH = box.height - MARGIN.top - MARGIN.bottom;
  const all = chart.series.flatMap((s) => s.points);
  const xTicks = niceTicks(all.map((p) => p[0]));
  const yTicks = niceTicks(chart.yRange ?? all.map((p) => p[1]));
  const [x0, x1] = [xTicks[0] as number, xTicks.at(-1) as number];
  const [y0, y1] = [yTicks[0] as number, yTicks.at(-1) as number];
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [`<g transform="translate(${box.x},${box.y})" font-family="DejaVu Sans, sans-serif" font-size="11">`];
  parts.push(`<text x="${box.width / 2}" y="16" text-anchor="middle" font-size="13">${escapeXml(chart.title)}</text>`);
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  for (const xv of xTicks) {
    const x = sx(xv).toFixed(1);
    parts.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${MARGIN.top + plotH + 14}" text-anchor="middle">${tickLabel(xv, xTicks)}</text>`);
  }
  for (const yv of yTicks) {
    const y = sy(yv).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${MARGIN.left - 4}" y="${(sy(yv) + 4).toFixed(1)}" text-anchor="end">${tickLabel(yv, yTicks)}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${box.height - 6}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(12,${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  let legendX = MARGIN.left;
  for (const series of chart.series) {
    const points = series.points.filter((p) => Number.isFinite(p[1]));
    if (points.length === 0) continue;
    const style = `stroke="${series.color}" stroke-width="${series.width ?? 2}"${series.opacity === undefined ? '' : ` stroke-opacity="${series.opacity}"`}`;
    const path = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    if (series.line ?? true) parts.push(`<path d="${path}" fill="none" ${style}/>`);
    if (series.dots ?? true) {
      for (const p of points)
        parts.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2.5" fill="${series.color}"/>`);
    }
    const ly = MARGIN.top - 12;
    // The swatch is drawn like its line (a pale thin step series looks so in the legend too), but thick enough to see.
    parts.push(
      `<line x1="${legendX}" y1="${ly - 4}" x2="${legendX + 16}" y2="${ly - 4}" ${style.replace(/stroke-width="[\d.]+"/, 'stroke-width="2"')}/>`,
    );
    parts.push(`<text x="${legendX + 20}" y="${ly}">${escapeXml(series.name)}</text>`);
    legendX += 28 + 6.5 * series.name.length;
  }
  parts.push('</g>');
  return parts.join('');
}

/** A standalone SVG document: `body` markup on a white `width` x `height` canvas, with a title for screen readers and viewers. */
export function svgDocument(title: string, width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${escapeXml(title)}</title><rect width="100%" height="100%" fill="white"/>${body}</svg>\n`;
}

/** A standalone SVG document with `charts` side by side, each `width` x `height`. */
export function renderCharts(charts: LineChart[], width = 480, height = 320): string {
  const body = charts.map((chart, i) => renderLineChart(chart, { x: i * width, y: 0, width, height })).join('');
  return svgDocument(charts.map((chart) => chart.title).join(', '), charts.length * width, height, body);
}
