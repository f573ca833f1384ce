/**
 * The skeleton DARTS shares between its search and evaluation networks (Section 2.1 and 3.1 of the
 * paper; the reference's `Network` and `NetworkCIFAR`): a stem of `stemMultiplier * C` channels, then
 * `layers` cells; the cells at 1/3 and 2/3 of the depth are reduction cells, which double the width
 * and halve the map; each cell reads the outputs of the two cells before it and concatenates its
 * `multiplier` last nodes.
 */
export interface CellPlan {
  /** Position in the network, from 0. */
  index: number;
  reduction: boolean;
  /** Whether the cell before was a reduction cell, so the cell's first input must be halved too. */
  reductionPrev: boolean;
  /** Channels of the cell's inputs (two cells back, one cell back) and of each node. */
  channelsPrevPrev: number;
  channelsPrev: number;
  channels: number;
  /** Channels of the cell's output. */
  channelsOut: number;
}

/** Intermediate nodes per cell. */
export const CELL_STEPS = 4;

/** Nodes concatenated into a cell's output (all four intermediate nodes). */
export const CELL_MULTIPLIER = 4;

/** The stem's width as a multiple of C. */
export const STEM_MULTIPLIER = 3;

/** Edges of a cell: node i reads the two inputs and the i nodes before it, 2 + 3 + 4 + 5 = 14. */
export const CELL_EDGES = Array.from({ length: CELL_STEPS }, (_, i) => i + 2).reduce((a, b) => a + b, 0);

/** Whether cell `index` of `layers` is a reduction cell (at `layers / 3` and `2 layers / 3`, floored). */
export function isReductionCell(index: number, layers: number): boolean {
  return index === Math.floor(layers / 3) || index === Math.floor((2 * layers) / 3);
}

/** Each cell's widths for a network of initial width `channels` and `layers` cells, given each cell's output multiplier. */
export function planCells(
  channels: number,
  layers: number,
  multiplier: (reduction: boolean) => number = () => CELL_MULTIPLIER,
): CellPlan[] {
  const plans: CellPlan[] = [];
  let [prevPrev, prev, current] = [STEM_MULTIPLIER * channels, STEM_MULTIPLIER * channels, channels];
  let reductionPrev = false;
  for (let index = 0; index < layers; index++) {
    const reduction = isReductionCell(index, layers);
    if (reduction) current *= 2;
    const channelsOut = multiplier(reduction) * current;
    plans.push({ index, reduction, reductionPrev, channelsPrevPrev: prevPrev, channelsPrev: prev, channels: current, channelsOut });
    [prevPrev, prev] = [prev, channelsOut];
    reductionPrev = reduction;
  }
  return plans;
}

/** Edge `index` in a cell's alpha matrix for node `node` (0-based intermediate node) reading state `source`. */
export function edgeIndex(node: number, source: number): number {
  let offset = 0;
  for (let i = 0; i < node; i++) offset += i + 2;
  return offset + source;
}
