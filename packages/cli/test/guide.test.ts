import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRoot } from './run-cli.js';

// The guide's numbers come from seeded runs (untrained weights and random inputs drawn from seed 0),
// so regenerating it on the same tree gives the same page.
describe('docs/guide/review-questions.md', () => {
  it('is what its commands print today: regenerating it changes nothing', () => {
    const result = spawnSync(process.execPath, [join(cliRoot, '..', '..', 'docs', 'guide', 'generate.mjs'), '--check'], {
      encoding: 'utf8',
      timeout: 900_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 900_000);
});
