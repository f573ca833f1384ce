import { describe, expect, it } from 'vitest';
import register from '../src/oclif-hook.js';
import { plugin } from '../src/plugin.js';

describe('plugin', () => {
  it('contributes the darts architecture, with the paper', () => {
    expect(plugin.name).toBe('@convkit/nas');
    expect(plugin.architectures?.map((a) => a.name)).toEqual(['darts']);
    expect(plugin.architectures?.[0]?.paper?.title).toMatch(/DARTS/);
  });

  it('is what the convkit:register oclif hook returns', async () => {
    expect(await register()).toBe(plugin);
  });
});
