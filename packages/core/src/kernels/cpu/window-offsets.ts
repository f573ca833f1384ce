import type { ConvGeometry } from '../conv-geometry.js';

/**
 * For every output pixel `p` of a convolution (batch-major, then rows, then columns): the flat
 * offset of its image in the NHWC input, and the input row and column its window starts at (may be
 * negative inside the padding). Computed once per kernel call so that inner loops do no division.
 */
export interface WindowOffsets {
  imageBase: Int32Array;
  rowStart: Int32Array;
  colStart: Int32Array;
}

export function windowOffsets(g: ConvGeometry): WindowOffsets {
  const pixels = g.batch * g.outHeight * g.outWidth;
  const imageBase = new Int32Array(pixels);
  const rowStart = new Int32Array(pixels);
  const colStart = new Int32Array(pixels);
  let p = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let ow = 0; ow < g.outWidth; ow++, p++) {
        imageBase[p] = n * g.inHeight * g.inWidth * g.inChannels;
        rowStart[p] = oh * g.strideHeight - g.padTop;
        colStart[p] = ow * g.strideWidth - g.padLeft;
      }
    }
  }
  return { imageBase, rowStart, colStart };
}

/** Flat NHWC offset of the input pixel under filter tap (`fh`, `fw`) for output pixel `p`, or -1 in the padding. */
export function tapOffset(o: WindowOffsets, g: ConvGeometry, p: number, fh: number, fw: number): number {
  const ih = (o.rowStart[p] as number) + fh * g.dilationHeight;
  const iw = (o.colStart[p] as number) + fw * g.dilationWidth;
  if (ih < 0 || ih >= g.inHeight || iw < 0 || iw >= g.inWidth) return -1;
  return (o.imageBase[p] as number) + (ih * g.inWidth + iw) * g.inChannels;
}
