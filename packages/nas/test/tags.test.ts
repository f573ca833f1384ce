import { describe, expect, it } from 'vitest';
import { plugin } from '../src/plugin.js';

describe('tags', () => {
  it('tags the DARTS network cifar and nas', () => {
    expect(Object.fromEntries((plugin.architectures ?? []).map((spec) => [spec.name, spec.tags]))).toEqual({ darts: ['cifar', 'nas'] });
  });
});
