import { describe, expect, it } from 'vitest';
import { ConvkitError, errorLine } from '../src/index.js';

describe('errorLine', () => {
  it('gives the first line of whatever was thrown, never an empty one', () => {
    expect(errorLine(new ConvkitError('x', 'first\n  second'))).toBe('first second');
    expect(errorLine(new Error('first\nsecond'))).toBe('first');
    expect(errorLine(new RangeError(''))).toBe('RangeError');
    expect(errorLine('offline\nretry')).toBe('offline');
    expect(errorLine(undefined)).toBe('unknown error');
    expect(errorLine(null)).toBe('unknown error');
  });
});
