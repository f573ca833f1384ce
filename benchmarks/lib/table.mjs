/** The benchmark rows as a fixed-width text table, grouped by work. */
export function formatTable(rows, works) {
  const header = ['work', 'engine/backend', 'threads', 'ms', 'GFLOP/s', 'vs PyTorch'];
  const lines = [];
  for (const work of works) {
    for (const r of rows.filter((row) => row.work === work.name)) {
      lines.push([
        work.name,
        r.engine === 'pytorch' ? 'pytorch cpu' : `tfjs ${r.backend}`,
        r.threads == null ? '-' : String(r.threads),
        r.ms == null ? 'skipped' : r.ms.toFixed(1),
        r.gflops == null ? '-' : r.gflops.toFixed(2),
        r.ratio_vs_pytorch == null ? (r.note ?? '-') : `${(100 * r.ratio_vs_pytorch).toFixed(1)}%`,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => Math.min(l[i].length, 60))));
  const format = (cells) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}
