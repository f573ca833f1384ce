/** Text table of `lines` (arrays of cells) under `header`, cells from index `rightFrom` on right-aligned. */
export function renderTable(header, lines, rightFrom) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => Math.min(l[i].length, 70))));
  const format = (cells) => cells.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

const percent = (v) => `${(100 * v).toFixed(1)}%`;

/** Where each profiled step's time goes: its five slowest kernels by total time, with call counts. */
function formatProfiles(rows) {
  const profiled = rows.filter((r) => r.top_kernels?.length);
  if (profiled.length === 0) return '';
  const lines = profiled.map((r) => {
    const total = r.top_kernels.reduce((sum, k) => sum + k.ms, 0);
    const top = r.top_kernels
      .slice(0, 5)
      .map((k) => `${k.name} ${k.calls}x ${k.ms.toFixed(1)} ms`)
      .join(', ');
    return `${r.work} on ${r.engine}: ${top} (of ${total.toFixed(1)} ms in the eight slowest kernels)`;
  });
  return `\n\nslowest kernels of one profiled step:\n${lines.join('\n')}`;
}

/** The benchmark rows as text tables: the works by engine, the step profiles, then the epoch rows. */
export function formatTable(rows, epochRows, works) {
  const header = ['work', 'engine', 'ms', 'spread', 'GFLOP/s', 'vs PyTorch', 'per round', 'kernels', 'peak MB'];
  const lines = [];
  for (const work of works) {
    for (const r of rows.filter((row) => row.work === work.name)) {
      if (r.ms == null) {
        lines.push([work.name, r.engine, 'skipped', '-', '-', r.note ?? '-', '', '', '']);
        continue;
      }
      lines.push([
        work.name,
        r.engine,
        r.ms.toFixed(1),
        `±${percent(r.spread / 2)}`,
        r.gflops == null ? '-' : r.gflops.toFixed(2),
        r.ratio_vs_pytorch == null ? '-' : percent(r.ratio_vs_pytorch),
        r.ratio_range == null ? '-' : `${percent(r.ratio_range[0])}-${percent(r.ratio_range[1])}`,
        r.kernel_calls == null ? '-' : String(r.kernel_calls),
        r.peak_mb == null ? '-' : r.peak_mb.toFixed(0),
      ]);
    }
  }
  const table = `${renderTable(header, lines, 2)}${formatProfiles(rows)}`;
  if (epochRows.length === 0) return table;
  const epochLines = epochRows.map((r) => [
    'lenet5 fashion-mnist epoch',
    r.engine,
    r.imagesPerSecond == null ? (r.note ?? '-') : r.imagesPerSecond.toFixed(0),
    r.imagesPerSecond == null ? '-' : `±${percent(r.spread / 2)}`,
    r.ratio_vs_pytorch == null ? '-' : percent(r.ratio_vs_pytorch),
  ]);
  return `${table}\n\n${renderTable(['work', 'engine', 'images/s', 'spread', 'vs PyTorch'], epochLines, 2)}`;
}

/**
 * The line under the tables that says what the ratios divide, from the engines' `info` as the
 * runners reported it; without a PyTorch engine in the run there are no ratios, and it says so.
 */
export function ratioLegend(info, rounds) {
  const spread = 'spread = (max - min) / median of the rounds';
  const torch = [info.pytorch, info['pytorch-bf16']].find((i) => i?.version !== undefined);
  if (torch === undefined) return `no ratios: no PyTorch engine ran (--engines pytorch or pytorch-bf16 adds one); ${spread}`;
  return `ratio = PyTorch ${torch.version} (${torch.threads} threads) median ms / this engine's median ms over ${rounds} interleaved rounds (bf16 rows: PyTorch's bfloat16 autocast step, channels_last); ${spread}`;
}
