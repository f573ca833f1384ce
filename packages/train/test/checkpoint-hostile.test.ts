import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { isConvkitError } from '@convkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { base, freshOut } from './fixtures/train-options.js';

// A resume to the epoch already reached reads the whole checkpoint but trains nothing, so each trial is quick.
const resume = (out: string) => train(base(out, { epochs: 1, resume: true }));

let pristine: string;
let epochFolder: string;
beforeAll(async () => {
  pristine = await freshOut();
  await train(base(pristine, { epochs: 1 }));
  epochFolder = JSON.parse(await readFile(join(pristine, 'checkpoints', 'latest.json'), 'utf8')).folder;
}, 60_000);

/** A copy of the trained run, to damage. */
async function copyOfRun(): Promise<string> {
  const out = await freshOut();
  await cp(pristine, out, { recursive: true });
  return out;
}

const stateFile = (out: string) => join(out, 'checkpoints', epochFolder, 'trainer-state.json');

describe('a checkpoint is untrusted input', () => {
  it('a latest.json that points outside checkpoints/ is refused, even at a valid checkpoint there', async () => {
    const out = await copyOfRun();
    // A complete checkpoint beside the run, reachable only through "..".
    const outside = join(dirname(out), 'elsewhere');
    await mkdir(outside, { recursive: true });
    await cp(join(out, 'checkpoints', epochFolder), join(outside, epochFolder), { recursive: true });
    await writeFile(join(out, 'checkpoints', 'latest.json'), JSON.stringify({ folder: `../../elsewhere/${epochFolder}` }));
    const message = await expectOneLineError(resume(out), 'corrupted-checkpoint');
    expect(message).toContain('latest.json');
  });

  it('optimizer slot shapes that claim more values than optimizer.bin holds are refused', async () => {
    const out = await copyOfRun();
    const state = JSON.parse(await readFile(stateFile(out), 'utf8'));
    state.optimizer.slotShapes = state.optimizer.slotShapes.map((shape: number[]) => shape.map((n) => n * 2));
    await writeFile(stateFile(out), JSON.stringify(state));
    const message = await expectOneLineError(resume(out), 'corrupted-checkpoint');
    expect(message).toContain('optimizer');
  });

  it('random corruption of the checkpoint files resumes or gives a one-line ConvkitError, never anything else', async () => {
    const out = await copyOfRun();
    const folder = join(out, 'checkpoints', epochFolder);
    const files = [join(out, 'checkpoints', 'latest.json'), ...(await readdir(folder)).map((name) => join(folder, name))];
    const originals = await Promise.all(files.map((file) => readFile(file)));
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let refused = 0;
    for (let trial = 0; trial < 40; trial++) {
      await Promise.all(files.map((file, i) => writeFile(file, originals[i] as Buffer)));
      const victim = Math.floor(random() * files.length);
      const bytes = Uint8Array.from(originals[victim] as Buffer);
      const textual = (files[victim] as string).endsWith('.json');
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
        bytes[Math.floor(random() * bytes.length)] = textual ? 32 + Math.floor(random() * 95) : Math.floor(random() * 256);
      }
      await writeFile(files[victim] as string, bytes);
      await rm(join(out, 'model'), { recursive: true, force: true });
      try {
        await resume(out);
      } catch (error) {
        expect(isConvkitError(error), `trial ${trial} (${files[victim]}): ${String(error)}`).toBe(true);
        expect((error as Error).message).not.toContain('\n');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(10);
  }, 120_000);
});
