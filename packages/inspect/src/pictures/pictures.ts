import type * as tf from '@tensorflow/tfjs-core';
import type { EffectiveReceptiveField } from '../effective-receptive-field.js';
import type { FrequencyResponse } from '../frequency.js';
import type { GradCam } from '../grad-cam.js';
import { colourMap, diverging, enlarge, grey, heat, outline, overlay, type Raster, tile } from './raster.js';

/** Integer factor that makes a `side`-pixel tile about `target` pixels wide (at least 1). */
function factorFor(side: number, target: number): number {
  return Math.max(1, Math.round(target / side));
}

/**
 * The filters of an HWIO kernel as a grid: one tile per output filter. Three input channels are
 * shown as colour (each filter min-max scaled), otherwise one diverging tile per input channel
 * (blue negative, white zero, red positive, scaled by the layer's largest |w|), at most `maxInputs` rows.
 */
export function filterGridPicture(kernel: tf.Tensor4D, maxInputs = 8): Raster {
  const [kh, kw, cin, cout] = kernel.shape;
  const w = kernel.dataSync();
  const at = (a: number, b: number, ci: number, co: number) => w[((a * kw + b) * cin + ci) * cout + co]!;
  const factor = factorFor(Math.max(kh, kw), 40);
  const tiles: Raster[] = [];
  if (cin === 3) {
    for (let co = 0; co < cout; co++) {
      let [lo, hi] = [Infinity, -Infinity];
      for (let i = 0; i < kh * kw * 3; i++) {
        const v = at(Math.floor(i / (kw * 3)), Math.floor(i / 3) % kw, i % 3, co);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const data = new Uint8Array(kh * kw * 4);
      for (let p = 0; p < kh * kw; p++) {
        for (let c = 0; c < 3; c++) data[p * 4 + c] = Math.round((255 * (at(Math.floor(p / kw), p % kw, c, co) - lo)) / (hi - lo || 1));
        data[p * 4 + 3] = 255;
      }
      tiles.push(enlarge({ width: kw, height: kh, data }, factor));
    }
    return tile(tiles, Math.ceil(Math.sqrt(cout)));
  }
  const scale = Math.max(...Array.from(w, Math.abs)) || 1;
  const inputs = Math.min(cin, maxInputs);
  for (let ci = 0; ci < inputs; ci++)
    for (let co = 0; co < cout; co++) {
      const values = Array.from({ length: kh * kw }, (_, p) => at(Math.floor(p / kw), p % kw, ci, co) / scale);
      tiles.push(enlarge(colourMap(values, kw, kh, diverging), factor));
    }
  return tile(tiles, cout);
}

/** The magnitude spectra of a layer's filters, one heat tile per filter, on one scale (the layer's largest gain). */
export function spectrumPicture(response: FrequencyResponse): Raster {
  const { size, magnitudes } = response;
  const top = Math.max(...magnitudes.map((m) => Math.max(...m))) || 1;
  const factor = factorFor(size, 64);
  const tiles = magnitudes.map((m) =>
    enlarge(
      colourMap(
        Array.from(m, (v) => v / top),
        size,
        size,
        heat,
      ),
      factor,
    ),
  );
  return tile(tiles, Math.ceil(Math.sqrt(tiles.length)));
}

/** The channels of one feature map `[1, h, w, c]` as grey tiles, each min-max scaled, at most `maxChannels`. */
export function featureMapPicture(maps: tf.Tensor, maxChannels = 64): Raster {
  const [, h, w, c] = maps.shape as [number, number, number, number];
  const values = maps.dataSync();
  const tiles: Raster[] = [];
  const factor = factorFor(Math.max(h, w), 64);
  for (let k = 0; k < Math.min(c, maxChannels); k++) {
    const channel = Array.from({ length: h * w }, (_, p) => values[p * c + k]!);
    const lo = Math.min(...channel);
    const hi = Math.max(...channel);
    tiles.push(
      enlarge(
        colourMap(
          channel.map((v) => (v - lo) / (hi - lo || 1)),
          w,
          h,
          grey,
        ),
        factor,
      ),
    );
  }
  return tile(tiles, Math.ceil(Math.sqrt(tiles.length)));
}

/**
 * The effective receptive field as a heat map, with the support of the gradient outlined in green
 * and the theoretical receptive field (clipped to the input) in cyan, centred on the measured unit's
 * support.
 */
export function erfPicture(erf: EffectiveReceptiveField): Raster {
  const [h, w] = erf.input;
  const factor = factorFor(Math.max(h, w), 320);
  let raster = enlarge(colourMap(erf.map, w, h, heat), factor);
  const [top, left, bottom, right] = erf.support;
  const box = (t: number, l: number, b: number, r: number) => ({
    top: t * factor,
    left: l * factor,
    bottom: (b + 1) * factor - 1,
    right: (r + 1) * factor - 1,
  });
  const cy = (top + bottom) / 2;
  const cx = (left + right) / 2;
  const [th, tw] = erf.theoretical;
  raster = outline(
    raster,
    box(Math.round(cy - (th - 1) / 2), Math.round(cx - (tw - 1) / 2), Math.round(cy + (th - 1) / 2), Math.round(cx + (tw - 1) / 2)),
    [0, 220, 255],
  );
  if (bottom >= 0) raster = outline(raster, box(top, left, bottom, right), [0, 200, 0]);
  return raster;
}

/** A normalized-looking picture of the model's input image: each channel min-max scaled to grey or colour. */
export function imagePicture(image: tf.Tensor): Raster {
  const [, h, w, c] = image.shape as [number, number, number, number];
  const values = image.dataSync();
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const data = new Uint8Array(h * w * 4);
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < 3; k++) data[p * 4 + k] = Math.round((255 * (values[p * c + (c === 3 ? k : 0)]! - lo)) / (hi - lo || 1));
    data[p * 4 + 3] = 255;
  }
  return { width: w, height: h, data };
}

/** Grad-CAM over the image: the input beside the overlay of its class-activation map. */
export function gradCamPicture(image: tf.Tensor, cam: GradCam): Raster {
  const base = imagePicture(image);
  const factor = factorFor(Math.max(base.width, base.height), 224);
  return tile([enlarge(base, factor), enlarge(overlay(base, cam.map), factor)], 2, 4);
}

/**
 * Channel weights as heat strips, one row per module (top to bottom in the order given), one cell
 * per channel coloured by its weight in [0, 1] (sigmoid gates): dark is suppressed, bright kept.
 */
export function channelWeightsPicture(modules: { weights: number[] }[]): Raster {
  const widest = Math.max(1, ...modules.map((m) => m.weights.length));
  const cell = Math.max(1, Math.floor(512 / widest));
  const strips = modules.map((m) => {
    const strip = enlarge(
      colourMap(
        Array.from({ length: widest }, (_, c) => m.weights[c] ?? 0),
        widest,
        1,
        heat,
      ),
      cell,
    );
    // a wide module's cells are 1 pixel square: stretch its strip to stay visible
    return stretchRows(strip, Math.max(8, strip.height));
  });
  return tile(strips, 1, 2);
}

function stretchRows(raster: Raster, height: number): Raster {
  const data = new Uint8Array(raster.width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = Math.floor((y * raster.height) / height) * raster.width * 4;
    data.set(raster.data.subarray(from, from + raster.width * 4), y * raster.width * 4);
  }
  return { width: raster.width, height, data };
}

/**
 * Maps over the image: the image first, then one overlay per map (values in [0, 1] at the image's
 * pixels), each outlined where `marks` says (a non-local query pixel), enlarged to about 128 pixels.
 */
export function mapsOverImagePicture(image: tf.Tensor, maps: { imageMap: ArrayLike<number>; mark?: [number, number] }[]): Raster {
  const base = imagePicture(image);
  const factor = factorFor(Math.max(base.width, base.height), 128);
  const overlays = maps.map(({ imageMap, mark }) => {
    const raster = enlarge(overlay(base, imageMap), factor);
    if (!mark) return raster;
    const [row, col] = mark;
    return outline(
      raster,
      { top: row * factor - 1, left: col * factor - 1, bottom: (row + 1) * factor, right: (col + 1) * factor },
      [0, 220, 255],
    );
  });
  return tile([enlarge(base, factor), ...overlays], 4, 4);
}
