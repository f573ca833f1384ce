/** One line of a chart: a name for the legend and its (x, y) points. */
export interface ChartSeries {
  name: string;
  points: [number, number][];
  color: string;
}

/** A line chart: title, axis labels, series; drawn into a `width` x `height` box at (`x`, `y`). */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceRange(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (low === high) {
    low -= 0.5;
    high += 0.5;
  }
  return [low, high];
}

const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));

/** SVG markup (a `<g>` element) of one line chart with axes, 5 ticks per axis and a legend. */
export function renderLineChart(chart: LineChart, box: { x: number; y: number; width: number; height: number }): string {
  const margin = { left: 56, right: 12, top: 28, bottom: 40 };
  const plotW = box.width - margin.left - margin.right;
  const plotH = box.height - margin.top - margin.bottom;
  const all = chart.series.flatMap((s) => s.points);
  const [x0, x1] = niceRange(all.map((p) => p[0]));
  const [y0, y1] = niceRange(all.map((p) => p[1]));
  const sx = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => margin.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [`<g transform="translate(${box.x},${box.y})" font-family="sans-serif" font-size="11">`];
  parts.push(`<text x="${box.width / 2}" y="16" text-anchor="middle" font-size="13">${escapeXml(chart.title)}</text>`);
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  for (let i = 0; i <= 4; i++) {
    const xv = x0 + ((x1 - x0) * i) / 4;
    const yv = y0 + ((y1 - y0) * i) / 4;
    parts.push(`<text x="${sx(xv).toFixed(1)}" y="${margin.top + plotH + 14}" text-anchor="middle">${format(xv)}</text>`);
    parts.push(`<text x="${margin.left - 4}" y="${(sy(yv) + 4).toFixed(1)}" text-anchor="end">${format(yv)}</text>`);
  }
  parts.push(`<text x="${margin.left + plotW / 2}" y="${box.height - 6}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(12,${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, i) => {
    const points = series.points.filter((p) => Number.isFinite(p[1]));
    if (points.length === 0) return;
    const path = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    for (const p of points) parts.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2.5" fill="${series.color}"/>`);
    const ly = margin.top + 12 + 14 * i;
    parts.push(
      `<line x1="${margin.left + 8}" y1="${ly - 4}" x2="${margin.left + 24}" y2="${ly - 4}" stroke="${series.color}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${margin.left + 28}" y="${ly}">${escapeXml(series.name)}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
}

/** A standalone SVG document with `charts` side by side, each `width` x `height`. */
export function renderCharts(charts: LineChart[], width = 420, height = 300): string {
  const body = charts.map((chart, i) => renderLineChart(chart, { x: i * width, y: 0, width, height })).join('');
  // The title is what screen readers and image viewers show for the chart.
  const title = escapeXml(charts.map((chart) => chart.title).join(', '));
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${charts.length * width}" height="${height}" viewBox="0 0 ${charts.length * width} ${height}"><title>${title}</title><rect width="100%" height="100%" fill="white"/>${body}</svg>\n`;
}
