import { describe, expect, it } from 'vitest';
import { INPUT_RECEPTIVE_FIELD, mergeReceptiveFields, receptiveFieldAfter } from '../src/index.js';

describe('receptiveFieldAfter', () => {
  it('grows 3 -> 7 -> 15 for 3x3 convs at dilations 1, 2, 4 (Yu & Koltun 2016)', () => {
    const sizes: number[] = [];
    let field = INPUT_RECEPTIVE_FIELD;
    for (const dilation of [1, 2, 4]) {
      field = receptiveFieldAfter(field, { kernel: 3, dilation });
      sizes.push(field.size);
    }
    expect(sizes).toEqual([3, 7, 15]);
  });

  it('multiplies the jump by each stride: VGG block of two 3x3 convs and a 2x2 pool', () => {
    let field = receptiveFieldAfter(INPUT_RECEPTIVE_FIELD, { kernel: 3 });
    field = receptiveFieldAfter(field, { kernel: 3 });
    field = receptiveFieldAfter(field, { kernel: 2, stride: 2 });
    field = receptiveFieldAfter(field, { kernel: 3 });
    expect(field).toEqual({ size: 10, jump: 2 });
  });

  it('takes the widest branch where branches merge', () => {
    expect(
      mergeReceptiveFields([
        { size: 3, jump: 1 },
        { size: 7, jump: 2 },
      ]),
    ).toEqual({ size: 7, jump: 2 });
  });

  it('of no branches is the input itself', () => {
    expect(mergeReceptiveFields([])).toEqual(INPUT_RECEPTIVE_FIELD);
    expect(INPUT_RECEPTIVE_FIELD).toEqual({ size: 1, jump: 1 });
  });
});
