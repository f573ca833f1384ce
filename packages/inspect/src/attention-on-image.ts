import { attentionMaps } from '@convkit/attention';
import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { type MapGrid, mapGrids, mapToInput } from './grid-geometry.js';

/** SE's or CBAM's channel weights: the sigmoid gate each channel of the module's input is scaled by. */
export interface ChannelAttention {
  module: string;
  kind: 'channel';
  weights: number[];
}

/** A map over positions: CBAM's spatial gate, or a non-local block's weights for one query position. */
interface PositionMap {
  module: string;
  /** The map's grid, rows x columns. */
  size: [number, number];
  /** Row by row, at the map's own resolution. */
  map: number[][];
  /** The same map sampled at every input pixel, `h x w`, each position on its receptive field's centre. */
  imageMap: Float32Array;
}

/** CBAM's spatial gate: the weight every position of the module's input is scaled by. */
export interface SpatialAttention extends PositionMap {
  kind: 'spatial';
}

/**
 * A non-local block's normalised pairwise weights `f(x_i, x_j) / C(x)` for one query position i over
 * every key position j (phi's grid, sub-sampled when the block pools): where position i looks.
 */
export interface PairwiseAttention extends PositionMap {
  kind: 'pairwise';
  /** The query as the input pixel asked for, and the block's query cell that pixel falls in. */
  query: { pixel: [number, number]; cell: [number, number] };
}

/** One module's attention on one image. */
export type ModuleAttention = ChannelAttention | SpatialAttention | PairwiseAttention;

/** Options of {@link attentionOnImage}. */
export interface AttentionOnImageOptions {
  /** Only this module (its layers' prefix, e.g. `stage2.block1.attn`); default every module. */
  module?: string;
  /** The non-local query as an input pixel (row, column); default the image's centre pixel. */
  query?: [number, number];
}

const rows = (values: ArrayLike<number>, [h, w]: [number, number]) =>
  Array.from({ length: h }, (_, r) => Array.from({ length: w }, (__, c) => values[r * w + c] as number));

/** The cell of `grid` whose receptive-field centre is nearest to input coordinate `pixel`, clamped to the map. */
function cellOf(pixel: [number, number], grid: MapGrid, size: [number, number]): [number, number] {
  const axis = (p: number, g: MapGrid[number], n: number) => Math.min(n - 1, Math.max(0, Math.round((p - g.offset) / g.jump)));
  return [axis(pixel[0], grid[0], size[0]), axis(pixel[1], grid[1], size[1])];
}

/** The layers feeding a non-local block's `NonLocalAttention` layer (theta's, phi's), whose grids place its queries and keys. */
function nonLocalInputs(model: LayersModel, module: string): [string, string] {
  const inbound = model.getLayer(`${module}.attention`).inboundNodes[0]?.inboundLayers ?? [];
  return [inbound[0]?.name as string, inbound[1]?.name as string];
}

/**
 * The attention of every SE, CBAM and non-local module of `model` on one image (`[1, H, W, C]`, as
 * the model takes it), in inference mode, as numbers and as maps over the image's pixels: SE's and
 * CBAM's channel weights, CBAM's spatial gate, a non-local block's pairwise weights for the query
 * pixel. A model without attention modules, an unknown module and a query outside the image are
 * {@link ConvkitError}s naming what there is.
 */
export function attentionOnImage(model: LayersModel, image: tf.Tensor4D, options: AttentionOnImageOptions = {}): ModuleAttention[] {
  const [, h, w] = image.shape;
  const query = options.query ?? [Math.floor(h / 2), Math.floor(w / 2)];
  if (!query.every((v, i) => Number.isInteger(v) && v >= 0 && v < [h, w][i]!)) {
    throw new ConvkitError('bad-option', `query pixel ${query.join(',')} is outside the ${h}x${w} image; give row,column within it`);
  }
  const single = tf.squeeze(image, [0]);
  const all = attentionMaps(model, single);
  single.dispose();
  try {
    if (all.length === 0) {
      throw new ConvkitError(
        'bad-model',
        `${model.name} has no SE, CBAM or non-local module; inspect an attention variant (\`convkit models list --tag attention\`)`,
      );
    }
    const chosen = options.module === undefined ? all : all.filter((m) => m.module === options.module);
    if (chosen.length === 0) {
      const known = [...new Set(all.map((m) => m.module))];
      throw new ConvkitError('bad-layer', `no attention module ${options.module} in ${model.name}; its modules: ${known.join(', ')}`);
    }
    const grids = mapGrids(model);
    return chosen.map((map): ModuleAttention => {
      const values = map.values.dataSync();
      if (map.kind === 'channel') return { module: map.module, kind: 'channel', weights: Array.from(values) };
      if (map.kind === 'spatial') {
        const size = map.values.shape as [number, number];
        const grid = grids.get(`${map.module}.spatial.gate`) as MapGrid;
        return { module: map.module, kind: 'spatial', size, map: rows(values, size), imageMap: mapToInput(values, size, grid, [h, w]) };
      }
      const { query: queryGrid, key: size } = map.grids as { query: [number, number]; key: [number, number] };
      const [queries, keys] = nonLocalInputs(model, map.module);
      const cell = cellOf(query, grids.get(queries) as MapGrid, queryGrid);
      const row = values.subarray(
        (cell[0] * queryGrid[1] + cell[1]) * size[0] * size[1],
        (cell[0] * queryGrid[1] + cell[1] + 1) * size[0] * size[1],
      );
      return {
        module: map.module,
        kind: 'pairwise',
        query: { pixel: query, cell },
        size,
        map: rows(row, size),
        imageMap: mapToInput(row, size, grids.get(keys) as MapGrid, [h, w]),
      };
    });
  } finally {
    tf.dispose(all.map((m) => m.values));
  }
}
