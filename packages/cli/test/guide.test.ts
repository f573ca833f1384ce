import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliRoot } from './run-cli.js';

// The guide's numbers come from seeded runs (untrained weights and random inputs drawn from seed 0),
// so regenerating it on the same tree gives the same page. The generator runs asynchronously: a
// synchronous spawn would block this worker for minutes and vitest's own RPC would time out.
describe('docs/guide/review-questions.md', () => {
  it('is what its commands print today: regenerating it changes nothing', async () => {
    const generator = join(cliRoot, '..', '..', 'docs', 'guide', 'generate.mjs');
    const { stderr } = await promisify(execFile)(process.execPath, [generator, '--check'], { encoding: 'utf8', timeout: 900_000 });
    expect(stderr).toBe('');
  }, 900_000);
});
