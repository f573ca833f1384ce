import { describe, expect, it } from 'vitest';
import { renderCharts } from '../src/report/svg-chart.js';

describe('SVG charts', () => {
  it('draws one path per series and escapes text', () => {
    const svg = renderCharts([
      {
        title: 'a < b & "c"',
        xLabel: 'x',
        yLabel: 'y',
        series: [
          {
            name: 'one',
            color: '#000',
            points: [
              [1, 2],
              [2, 3],
            ],
          },
          {
            name: 'two',
            color: '#f00',
            points: [
              [1, 1],
              [2, 0.5],
            ],
          },
        ],
      },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg).toContain('<title>a &lt; b &amp; &quot;c&quot;</title>');
  });
});
