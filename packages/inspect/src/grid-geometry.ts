import { type AxisPadding, analyzeLayer, resolvePadding, type Shape } from '@convkit/core';
import type { LayersModel, layers } from '@tensorflow/tfjs-layers';

/**
 * Where a feature map's positions sit in the input, along one axis: position `i` of the map is
 * centred on input coordinate `offset + jump · i` (pixel centres at integers).
 */
export interface AxisGrid {
  offset: number;
  jump: number;
}

/** Input-grid placement of a layer's output along height and width. */
export type MapGrid = [AxisGrid, AxisGrid];

type Layer = layers.Layer;

function axisPadding(padding: unknown, axis: 0 | 1): AxisPadding {
  if (padding === 'same' || padding === 'valid' || typeof padding === 'number') return padding;
  if (Array.isArray(padding)) {
    const entry = padding[axis];
    if (typeof entry === 'number') return entry;
    if (Array.isArray(entry)) return [Number(entry[0]), Number(entry[1])];
  }
  return 'valid';
}

/** Zeros before each axis added by a ZeroPadding2D / removed by a Cropping2D layer (tfjs configs). */
function shiftOf(config: Record<string, unknown>, key: 'padding' | 'cropping'): [number, number] {
  const value = config[key];
  const before = (entry: unknown) => (typeof entry === 'number' ? entry : Array.isArray(entry) ? Number(entry[0]) : 0);
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value)) return [before(value[0]), before(value[1])];
  return [0, 0];
}

/**
 * The input-grid placement of every layer's output, by walking the model from the input: a window of
 * kernel k, stride s, dilation d and `p` zeros before maps `offset' = offset + jump·(d(k−1)/2 − p)`,
 * `jump' = jump·s` (the centre of the receptive field, Araujo et al. 2019); zero padding moves the
 * origin back by `jump·p`, cropping forward; merges keep their first input's grid. Grad-CAM uses it to
 * lay a coarse map exactly over the image.
 */
export function mapGrids(model: LayersModel): Map<string, MapGrid> {
  const grids = new Map<Layer, MapGrid>();
  const byName = new Map<string, MapGrid>();
  const origin: MapGrid = [
    { offset: 0, jump: 1 },
    { offset: 0, jump: 1 },
  ];
  for (const layer of model.layers) {
    const node = layer.inboundNodes[0];
    const inbound = node ? node.inboundLayers.filter((l) => l !== layer) : [];
    const before = inbound[0] ? (grids.get(inbound[0]) ?? origin) : origin;
    const config = layer.getConfig() as Record<string, unknown>;
    const className = layer.getClassName();
    let grid = before;
    if (className === 'ZeroPadding2D' || className === 'Cropping2D') {
      const shift = shiftOf(config, className === 'ZeroPadding2D' ? 'padding' : 'cropping');
      const sign = className === 'ZeroPadding2D' ? -1 : 1;
      grid = [0, 1].map((a) => ({ offset: before[a]!.offset + sign * before[a]!.jump * shift[a]!, jump: before[a]!.jump })) as MapGrid;
    } else if (node && inbound.length > 0) {
      const inputShape = (Array.isArray(node.inputShapes[0]) ? node.inputShapes[0] : node.inputShapes) as Shape;
      const outputShape = (Array.isArray(layer.outputShape[0]) ? layer.outputShape[0] : layer.outputShape) as Shape;
      const window = analyzeLayer(layer, [inputShape], outputShape).window;
      if (window) {
        grid = [0, 1].map((a) => {
          const axis = a as 0 | 1;
          const [k, s, d] = [window.kernel[axis], window.stride[axis], window.dilation[axis]];
          const size = (inputShape[axis + 1] as number | null) ?? 1;
          const [padBefore] = resolvePadding({ padding: axisPadding(config.padding, axis), size, kernel: k, stride: s, dilation: d });
          return { offset: before[axis]!.offset + before[axis]!.jump * ((d * (k - 1)) / 2 - padBefore), jump: before[axis]!.jump * s };
        }) as MapGrid;
      }
    }
    grids.set(layer, grid);
    byName.set(layer.name, grid);
  }
  return byName;
}

/**
 * Samples a map of `mh x mw` values at every pixel of an `h x w` input, bilinearly in the map's own
 * coordinates `u = (y − offset) / jump` (clamped to the map's edge), so each value lands on the
 * input region its position sees.
 */
export function mapToInput(map: ArrayLike<number>, [mh, mw]: [number, number], grid: MapGrid, [h, w]: [number, number]): Float32Array {
  const out = new Float32Array(h * w);
  const taps = (pixel: number, g: AxisGrid, size: number) => {
    const u = Math.min(size - 1, Math.max(0, (pixel - g.offset) / g.jump));
    const lo = Math.floor(u);
    return { lo, hi: Math.min(size - 1, lo + 1), f: u - lo };
  };
  for (let y = 0; y < h; y++) {
    const r = taps(y, grid[0], mh);
    for (let x = 0; x < w; x++) {
      const c = taps(x, grid[1], mw);
      const at = (i: number, j: number) => map[i * mw + j] ?? 0;
      const top = at(r.lo, c.lo) * (1 - c.f) + at(r.lo, c.hi) * c.f;
      const bottom = at(r.hi, c.lo) * (1 - c.f) + at(r.hi, c.hi) * c.f;
      out[y * w + x] = top * (1 - r.f) + bottom * r.f;
    }
  }
  return out;
}
