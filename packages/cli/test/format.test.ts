import { describe, expect, it } from 'vitest';
import { formatCount, formatSi, parseInputShape, renderTable } from '../src/index.js';

describe('formatting', () => {
  it('writes counts with separators and large figures with SI suffixes', () => {
    expect(formatCount(138_357_544)).toBe('138,357,544');
    expect(formatSi(15_470_264_320)).toBe('15.5G');
    expect(formatSi(714_188_480)).toBe('714M');
    expect(formatSi(999)).toBe('999');
  });

  it('aligns table columns, numbers to the right', () => {
    const table = renderTable(
      [
        { name: 'lenet5', params: 61_706 },
        { name: 'vgg16', params: 138_357_544 },
      ],
      [
        { header: 'name', value: (r) => r.name },
        { header: 'params', value: (r) => formatCount(r.params), align: 'right' },
      ],
    );
    expect(table.split('\n')).toEqual(['name         params', '------  -----------', 'lenet5       61,706', 'vgg16   138,357,544']);
  });

  it('parses HxWxC and rejects anything else with the expected form', () => {
    expect(parseInputShape('224x224x3')).toEqual([224, 224, 3]);
    expect(() => parseInputShape('224x224')).toThrowError(/--input "224x224" is not HxWxC with positive integers; write it like 224x224x3/);
    expect(() => parseInputShape('0x8x1')).toThrowError(/not HxWxC/);
  });
});
