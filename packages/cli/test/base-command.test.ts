import { Config } from '@oclif/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Doctor from '../src/commands/doctor.js';
import { cliRoot } from './run-cli.js';

describe('ConvkitCommand errors', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints one line and exits 1 when a command throws something other than an Error', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const command = new Doctor([], await Config.load(cliRoot));
    const handle = (thrown: unknown) => (command as unknown as { catch(error: unknown): Promise<unknown> }).catch(thrown);
    await expect(handle('model zoo offline\ntry later')).rejects.toThrow(/EEXIT: 1/);
    await expect(handle(undefined)).rejects.toThrow(/EEXIT: 1/);
    expect(written).toEqual(['convkit: model zoo offline\n', 'convkit: unknown error\n']);
  });
});
