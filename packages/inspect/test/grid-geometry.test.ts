import { initBackend } from '@convkit/core';
import { Conv2d } from '@convkit/layers';
import { input, layers, model } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { mapGrids, mapToInput } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('mapGrids', () => {
  it('places each map through zero padding, cropping, valid, same, per-axis and numeric padding, row and column apart', () => {
    const x = input({ shape: [20, 24, 1] });
    let y = layers
      .zeroPadding2d({
        padding: [
          [1, 2],
          [3, 4],
        ],
        name: 'pad',
      })
      .apply(x);
    y = layers.conv2d({ filters: 1, kernelSize: 3, strides: 2, padding: 'valid', name: 'c1' }).apply(y);
    y = layers
      .cropping2D({
        cropping: [
          [1, 0],
          [0, 2],
        ],
        name: 'crop',
      })
      .apply(y);
    y = layers.conv2d({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', name: 'c2' }).apply(y);
    y = new Conv2d({
      filters: 1,
      kernelSize: 3,
      padding: [
        [1, 0],
        [2, 1],
      ],
      name: 'c3',
    }).apply(y);
    y = new Conv2d({ filters: 1, kernelSize: 3, padding: [1, 2], name: 'c4' }).apply(y);
    y = new Conv2d({ filters: 1, kernelSize: 3, padding: 2, name: 'c5' }).apply(y);
    const grids = mapGrids(model({ inputs: x, outputs: y as ReturnType<typeof input> }));
    const at = (name: string) => grids.get(name)!.map((axis) => [axis.offset, axis.jump]);
    // Rows, columns as [offset, jump]. pad 1 / 3 zeros before: the origin moves back by 1 / 3.
    expect(at('pad')).toEqual([
      [-1, 1],
      [-3, 1],
    ]);
    // 3x3 stride 2 valid: offset + jump·(3 − 1)/2, jump 2 (maps 11x15).
    expect(at('c1')).toEqual([
      [0, 2],
      [-2, 2],
    ]);
    // Cropping 1 row and no column at the front moves the origin forward by jump·1 and jump·0 (10x13).
    expect(at('crop')).toEqual([
      [2, 2],
      [-2, 2],
    ]);
    // TF 'same' at stride 2: 10 rows pad 0 before, 13 columns pad 1 before (5x7).
    expect(at('c2')).toEqual([
      [4, 4],
      [-2, 4],
    ]);
    // [[top, bottom], [left, right]] = [[1, 0], [2, 1]]: rows shift by 1 − 1, columns by 1 − 2.
    expect(at('c3')).toEqual([
      [4, 4],
      [-6, 4],
    ]);
    // [ph, pw] = [1, 2]; then p = 2 on both axes.
    expect(at('c4')).toEqual([
      [4, 4],
      [-10, 4],
    ]);
    expect(at('c5')).toEqual([
      [0, 4],
      [-14, 4],
    ]);
  });
});

describe('mapToInput', () => {
  it("samples a 2x3 map bilinearly at each pixel's map coordinate, clamped at the map's edges", () => {
    // map[i][j] = 3i + j is linear, so bilinear sampling gives 3u + v exactly, with u = (y − 0.5) / 2 and
    // v = x clamped to the map: u is 0, 0.25, 0.75, 1 (clamped at both ends) and v is 0, 1, 2, 2.
    const map = [0, 1, 2, 3, 4, 5];
    const grid = [
      { offset: 0.5, jump: 2 },
      { offset: 0, jump: 1 },
    ] as const;
    const out = mapToInput(map, [2, 3], [grid[0], grid[1]], [4, 4]);
    const u = [0, 0.25, 0.75, 1];
    const v = [0, 1, 2, 2];
    expect(Array.from(out)).toEqual(u.flatMap((ur) => v.map((vc) => 3 * ur + vc)));
  });

  it('interpolates along columns the same way: a 3x2 map sampled at half-way column coordinates', () => {
    // map[i][j] = i + 3j: rows sit on pixels (u = y, clamped at 2), columns at v = (x − 0.5) / 2.
    const out = mapToInput(
      [0, 3, 1, 4, 2, 5],
      [3, 2],
      [
        { offset: 0, jump: 1 },
        { offset: 0.5, jump: 2 },
      ],
      [4, 4],
    );
    const u = [0, 1, 2, 2];
    const v = [0, 0.25, 0.75, 1];
    expect(Array.from(out)).toEqual(u.flatMap((ur) => v.map((vc) => ur + 3 * vc)));
  });

  it('interpolates along both axes at once: a 2x2 map at quarter positions in rows and columns', () => {
    // map[i][j] = 2i + j sampled at u = v = (pixel − 0.5) / 2: 0, 0.25, 0.75, 1 on both axes.
    const half = { offset: 0.5, jump: 2 };
    const out = mapToInput([0, 1, 2, 3], [2, 2], [half, half], [4, 4]);
    const t = [0, 0.25, 0.75, 1];
    expect(Array.from(out)).toEqual(t.flatMap((u) => t.map((v) => 2 * u + v)));
  });

  it('follows a negative offset: pixels before the first position take the first row', () => {
    const out = mapToInput(
      [10, 20],
      [2, 1],
      [
        { offset: -1, jump: 3 },
        { offset: 0, jump: 1 },
      ],
      [5, 1],
    );
    // u = (y + 1) / 3: 1/3, 2/3, 1, then clamped to 1.
    expect(Array.from(out).map((value) => Number(value.toFixed(4)))).toEqual([13.3333, 16.6667, 20, 20, 20]);
  });
});
