/** Turns the interleaved rounds of measurements into rows: medians, spreads and ratios to PyTorch. */

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `(max - min) / median`: how far apart the rounds were, relative to the reported value. */
function spread(values) {
  return values.length > 1 ? (Math.max(...values) - Math.min(...values)) / median(values) : 0;
}

/** The PyTorch row an engine is compared with: PyTorch's bfloat16 autocast step for a bfloat16 engine. */
export function baselineOf(engine) {
  return engine.includes('bf16') ? 'pytorch bf16' : 'pytorch';
}

/**
 * One row per work and engine: the median over rounds of each round's median ms, the spread of the
 * rounds, the ratio of PyTorch's median to this engine's (PyTorch bf16's for a bfloat16 engine), and the range of the per-round ratios
 * (PyTorch and the engine measured in the same round), which says whether the ratio survived the
 * machine's noise. tfjs rows also carry the step's kernel calls and peak tensor memory.
 */
export function summarize(works, rounds, epochRounds) {
  const engines = [...new Set(rounds.flatMap((r) => Object.keys(r)))];
  const rows = [];
  for (const work of works) {
    for (const engine of engines) {
      const torch = rounds.map((r) => r[baselineOf(engine)]?.[work.name]?.ms);
      const entries = rounds.map((r) => r[engine]?.[work.name]);
      if (entries.every((e) => e === undefined)) continue;
      const timed = entries.map((e) => e?.ms);
      const ms = timed.filter((v) => v !== undefined);
      if (ms.length === 0) {
        rows.push({ work: work.name, engine, ms: null, note: entries.find((e) => e?.skipped)?.skipped });
        continue;
      }
      const value = median(ms);
      const base = torch.filter((v) => v !== undefined);
      const perRound = timed
        .map((v, i) => (v !== undefined && torch[i] !== undefined ? torch[i] / v : undefined))
        .filter((v) => v !== undefined);
      const last = entries.filter((e) => e?.ms !== undefined).pop();
      rows.push({
        work: work.name,
        engine,
        rounds: ms.length,
        ms: value,
        spread: spread(ms),
        gflops: work.gflop ? work.gflop / (value / 1000) : null,
        ratio_vs_pytorch: base.length > 0 ? median(base) / value : null,
        ratio_range: perRound.length > 0 ? [Math.min(...perRound), Math.max(...perRound)] : null,
        kernel_calls: last.kernelCalls ?? null,
        // The last round's profiled step, by kernel name, slowest total first.
        top_kernels: last.kernels?.slice(0, 8) ?? null,
        peak_mb: last.peakBytes === undefined ? null : Math.max(...entries.map((e) => e?.peakBytes ?? 0)) / 2 ** 20,
      });
    }
  }
  const epochRows = [];
  const epochEngines = [...new Set(epochRounds.flatMap((r) => Object.keys(r)))];
  const torchRate = epochRounds.map((r) => r.pytorch?.imagesPerSecond).filter((v) => v !== undefined);
  for (const engine of epochEngines) {
    const rates = epochRounds.map((r) => r[engine]?.imagesPerSecond).filter((v) => v !== undefined);
    if (rates.length === 0) {
      epochRows.push({ engine, imagesPerSecond: null, note: 'the run failed' });
      continue;
    }
    const value = median(rates);
    epochRows.push({
      engine,
      rounds: rates.length,
      imagesPerSecond: value,
      spread: spread(rates),
      ratio_vs_pytorch: torchRate.length > 0 ? value / median(torchRate) : null,
    });
  }
  return { rows, epochRows };
}
