import { join } from 'node:path';
import { ConvkitError, writeFileAtomic } from '@convkit/core';
import { checkLatencyTableFits } from './expected-latency.js';
import { type LatencyTable, measureLatencyTable, readLatencyTable } from './latency-table.js';

/** Where a search's own measured latency table is kept, beside its genotype. */
export const LATENCY_FILE = 'latency.json';

/** The latency settings of a search, as {@link runSearch} records them. */
export interface SearchLatencySettings {
  latencyWeight: number;
  /** A table file to use; null: measure one when the weight is positive. */
  latencyTable: string | null;
  channels: number;
  layers: number;
  partialChannels: number;
  batchSize: number;
}

/**
 * The latency table a search uses: the given file, else (with a positive weight) its own
 * `latency.json`, measured on the current backend at the search's shapes and batch size the first
 * time and read back on resume, so a resumed search optimises the same cost. None without either.
 */
export async function searchLatencyTable(
  settings: SearchLatencySettings,
  inputShape: [number, number, number],
  out: string,
  resume: boolean,
  clock?: () => number,
): Promise<LatencyTable | undefined> {
  if (!(Number.isFinite(settings.latencyWeight) && settings.latencyWeight >= 0)) {
    throw new ConvkitError(
      'bad-option',
      `latency weight must be a number of at least 0, got ${settings.latencyWeight}; try --latency-weight 0.01`,
    );
  }
  const shape = { ...settings, inputShape };
  if (settings.latencyTable !== null) {
    const table = await readLatencyTable(settings.latencyTable);
    checkLatencyTableFits(table, shape, settings.latencyTable);
    return table;
  }
  if (settings.latencyWeight === 0) return undefined;
  const own = join(out, LATENCY_FILE);
  if (resume) return readLatencyTable(own);
  const table = await measureLatencyTable({ ...shape, batch: settings.batchSize, ...(clock ? { clock } : {}) });
  await writeFileAtomic(own, `${JSON.stringify(table, null, 2)}\n`);
  return table;
}
