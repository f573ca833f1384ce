import { PNG } from 'pngjs';

/** An RGBA picture, row-major, 4 bytes per pixel. */
export interface Raster {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A blank raster filled with one colour. */
export function blankRaster(width: number, height: number, rgb: [number, number, number] = [255, 255, 255]): Raster {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return { width, height, data };
}

/** Encodes a raster as PNG bytes with pngjs. */
export function encodePng(raster: Raster): Uint8Array {
  const png = new PNG({ width: raster.width, height: raster.height });
  png.data.set(raster.data);
  return new Uint8Array(PNG.sync.write(png));
}

/** Colours a map of values in [0, 1] (or [-1, 1] for a diverging map) pixel by pixel. */
export function colourMap(
  values: ArrayLike<number>,
  width: number,
  height: number,
  colour: (v: number) => [number, number, number],
): Raster {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...colour(values[i] ?? 0), 255], i * 4);
  return { width, height, data };
}

function interpolate(stops: [number, number, number][], t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  return [0, 1, 2].map((c) => Math.round(a[c]! + f * (b[c]! - a[c]!))) as [number, number, number];
}

// Approximate stops of matplotlib's perceptually uniform "inferno" (black, purple, orange, yellow).
const INFERNO: [number, number, number][] = [
  [0, 0, 4],
  [40, 11, 84],
  [101, 21, 110],
  [159, 42, 99],
  [212, 72, 66],
  [245, 125, 21],
  [250, 193, 39],
  [252, 255, 164],
];
// Blue for negative, white for zero, red for positive weights.
const DIVERGING: [number, number, number][] = [
  [33, 102, 172],
  [247, 247, 247],
  [178, 24, 43],
];

/** Heat colour of a value in [0, 1] (inferno). */
export const heat = (v: number): [number, number, number] => interpolate(INFERNO, v);
/** Diverging colour of a value in [-1, 1]: blue, white at 0, red. */
export const diverging = (v: number): [number, number, number] => interpolate(DIVERGING, (v + 1) / 2);
/** Grey level of a value in [0, 1]. */
export const grey = (v: number): [number, number, number] => {
  const g = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
  return [g, g, g];
};

/** Nearest-neighbour enlargement by an integer factor, so small kernels and maps stay visible as blocks. */
export function enlarge(raster: Raster, factor: number): Raster {
  const width = raster.width * factor;
  const height = raster.height * factor;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / factor) * raster.width + Math.floor(x / factor)) * 4;
      data.set(raster.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  return { width, height, data };
}

/** Tiles equally sized rasters in rows of `columns` with `gap` pixels of background between them. */
export function tile(tiles: Raster[], columns: number, gap = 2): Raster {
  const first = tiles[0];
  if (!first) return blankRaster(1, 1);
  const cols = Math.max(1, Math.min(columns, tiles.length));
  const rows = Math.ceil(tiles.length / cols);
  const out = blankRaster(cols * first.width + (cols + 1) * gap, rows * first.height + (rows + 1) * gap);
  tiles.forEach((t, n) => {
    const ox = gap + (n % cols) * (first.width + gap);
    const oy = gap + Math.floor(n / cols) * (first.height + gap);
    for (let y = 0; y < t.height; y++)
      out.data.set(t.data.subarray(y * t.width * 4, (y + 1) * t.width * 4), ((oy + y) * out.width + ox) * 4);
  });
  return out;
}

/** Draws a one-pixel rectangle outline (clipped to the raster), e.g. a theoretical receptive field. */
export function outline(
  raster: Raster,
  box: { top: number; left: number; bottom: number; right: number },
  rgb: [number, number, number],
): Raster {
  const data = Uint8Array.from(raster.data);
  const put = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < raster.width && y < raster.height) data.set([...rgb, 255], (y * raster.width + x) * 4);
  };
  for (let x = box.left; x <= box.right; x++) {
    put(x, box.top);
    put(x, box.bottom);
  }
  for (let y = box.top; y <= box.bottom; y++) {
    put(box.left, y);
    put(box.right, y);
  }
  return { ...raster, data };
}

/** Blends a heat map over a picture: `(1 - α·m)·image + α·m·heat(m)`, so cold regions show the image. */
export function overlay(image: Raster, map: ArrayLike<number>, alpha = 0.6): Raster {
  const data = Uint8Array.from(image.data);
  for (let i = 0; i < image.width * image.height; i++) {
    const m = Math.min(1, Math.max(0, map[i] ?? 0));
    const colour = heat(m);
    const a = alpha * Math.sqrt(m);
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round((1 - a) * data[i * 4 + c]! + a * colour[c]!);
  }
  return { ...image, data };
}
