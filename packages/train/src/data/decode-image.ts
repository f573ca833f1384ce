import { ConvkitError } from '@convkit/core';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { bilinearTaps } from './bilinear.js';

/** A decoded image: RGBA bytes, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Decodes a PNG or JPEG file's bytes (by signature, not extension) with pngjs / jpeg-js. */
export function decodeImage(bytes: Uint8Array, path: string): RgbaImage {
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      return { width: image.width, height: image.height, data: image.data };
    }
  } catch (error) {
    throw new ConvkitError('bad-image', `cannot decode ${path}: ${(error as Error).message}; re-save it as PNG or JPEG`);
  }
  throw new ConvkitError(
    'bad-image',
    `${path} is neither PNG nor JPEG (by its first bytes); convert it or remove it from the dataset folder`,
  );
}

/**
 * Resizes an RGBA image bilinearly (pixel centres aligned, as tf.image.resizeBilinear with
 * halfPixelCenters) and writes it as `channels` (1 = luminance, 3 = RGB) uint8 values into `out`.
 */
export function resizeInto(image: RgbaImage, height: number, width: number, channels: 1 | 3, out: Uint8Array): void {
  const rows = bilinearTaps(height, image.height);
  const cols = bilinearTaps(width, image.width);
  const data = image.data;
  const rgb = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    const row0 = (rows.lo[y] as number) * image.width;
    const row1 = (rows.hi[y] as number) * image.width;
    const fy = rows.frac[y] as number;
    for (let x = 0; x < width; x++) {
      const x0 = cols.lo[x] as number;
      const x1 = cols.hi[x] as number;
      const fx = cols.frac[x] as number;
      for (let c = 0; c < 3; c++) {
        const at = (row: number, column: number) => data[(row + column) * 4 + c] as number;
        const top = at(row0, x0) * (1 - fx) + at(row0, x1) * fx;
        const bottom = at(row1, x0) * (1 - fx) + at(row1, x1) * fx;
        rgb[c] = top * (1 - fy) + bottom * fy;
      }
      const target = (y * width + x) * channels;
      if (channels === 1) {
        out[target] = Math.round(0.299 * (rgb[0] as number) + 0.587 * (rgb[1] as number) + 0.114 * (rgb[2] as number));
      } else {
        out[target] = Math.round(rgb[0] as number);
        out[target + 1] = Math.round(rgb[1] as number);
        out[target + 2] = Math.round(rgb[2] as number);
      }
    }
  }
}
