import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { isConvkitError, loadModel, MODEL_JSON, saveModel } from '../src/index.js';

/** The parts of model.json the tests edit, loosely typed as a hostile writer sees them. */
interface ModelJson {
  weightsManifest: { paths?: unknown[]; weights: Record<string, unknown>[] }[] | Record<string, unknown>;
  convkit?: unknown;
}

/** A saved two-layer model in a folder of its own inside a parent folder that also holds a "secret". */
async function savedModel(): Promise<{ folder: string; secret: string; json: ModelJson }> {
  const parent = await mkdtemp(join(tmpdir(), 'convkit-hostile-'));
  const folder = join(parent, 'model');
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, name: 'fc' })] });
  await saveModel(model, folder);
  const secret = join(parent, 'secret.bin');
  await writeFile(secret, new Uint8Array(32).fill(7));
  return { folder, secret, json: JSON.parse(await readFile(join(folder, MODEL_JSON), 'utf8')) };
}

/** Rewrites model.json with `edit` applied, keeping (or, with `integrity: false`, dropping) convkit's record. */
async function edited(edit: (json: ModelJson) => void, options: { integrity?: boolean } = {}) {
  const saved = await savedModel();
  edit(saved.json);
  if (options.integrity === false) delete saved.json.convkit;
  await writeFile(join(saved.folder, MODEL_JSON), JSON.stringify(saved.json));
  return saved;
}

async function expectOneLine(load: Promise<unknown>, reason: RegExp) {
  const error = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isConvkitError(error), String(error)).toBe(true);
  expect((error as Error).message).not.toContain('\n');
  expect((error as Error).message).toMatch(reason);
}

const manifest = (json: ModelJson) => (json.weightsManifest as { paths?: unknown[]; weights: Record<string, unknown>[] }[])[0]!;

describe('a model folder is untrusted input', () => {
  it('a manifest path ../secret.bin is refused before anything outside the folder is read', async () => {
    const { folder } = await edited(
      (json) => {
        manifest(json).paths = ['../secret.bin'];
      },
      { integrity: false },
    );
    await expectOneLine(loadModel(folder, { foreign: true }), /weights path "\.\.\/secret\.bin" points outside the model folder/);
  });

  it('an absolute manifest path is refused', async () => {
    const { folder, secret } = await edited(
      (json) => {
        manifest(json).paths = ['/etc/passwd'];
      },
      { integrity: false },
    );
    await expectOneLine(loadModel(folder, { foreign: true }), /weights path "\/etc\/passwd" is not a file name inside the folder/);
    expect(secret).toBeTruthy();
  });

  it('a symlink inside the folder that points outside is refused', async () => {
    const { folder, secret } = await edited(
      (json) => {
        manifest(json).paths = ['link.bin'];
      },
      { integrity: false },
    );
    await symlink(secret, join(folder, 'link.bin'));
    await expectOneLine(loadModel(folder, { foreign: true }), /weights path "link\.bin" links outside the model folder/);
  });

  it('a convkit model whose integrity record was deleted does not load, and says how to load a foreign model', async () => {
    const { folder } = await edited(() => {}, { integrity: false });
    await expectOneLine(loadModel(folder), /has no convkit integrity record .* loadModel\(folder, \{ foreign: true \}\)/);
    const model = await loadModel(folder, { foreign: true });
    expect(model.getLayer('fc').getWeights()[0]!.shape).toEqual([3, 2]);
  });

  it('an edited manifest of a convkit model fails its checksum', async () => {
    const { folder } = await edited((json) => {
      manifest(json).weights[0]!.name = 'fc/other';
    });
    await expectOneLine(loadModel(folder), /weights manifest checksum mismatch/);
  });

  it.each([
    [
      'a shape larger than the file',
      (json: ModelJson) => (manifest(json).weights[0]!.shape = [3, 2000]),
      /weights are 32 bytes, expected 24008/,
    ],
    ['a shape larger than any file', (json: ModelJson) => (manifest(json).weights[0]!.shape = [2 ** 40, 2 ** 40]), /larger than any file/],
    ['a negative size', (json: ModelJson) => (manifest(json).weights[0]!.shape = [-3, 2]), /has shape \[-3,2\]/],
    ['an unknown dtype', (json: ModelJson) => (manifest(json).weights[0]!.dtype = 'float64'), /has dtype "float64"/],
    ['an unknown quantization', (json: ModelJson) => (manifest(json).weights[0]!.quantization = { dtype: 'int4' }), /has quantization/],
    [
      'uint8 storage without its scale',
      (json: ModelJson) => (manifest(json).weights[0]!.quantization = { dtype: 'uint8' }),
      /without a finite scale and min/,
    ],
    ['a manifest that is not a list', (json: ModelJson) => (json.weightsManifest = { paths: [] }), /weightsManifest is not a list/],
    ['a group without paths', (json: ModelJson) => delete manifest(json).paths, /lacks paths or weights/],
    ['a missing weights file', (json: ModelJson) => (manifest(json).paths = ['nothing.bin']), /weights file nothing\.bin is missing/],
  ])('%s is one line, checked before reading the weights', async (_, edit, reason) => {
    const { folder } = await edited(edit, { integrity: false });
    await expectOneLine(loadModel(folder, { foreign: true }), reason);
  });

  it('a model.json that is an array or null is one line', async () => {
    for (const text of ['[]', 'null', '3']) {
      const { folder } = await savedModel();
      await writeFile(join(folder, MODEL_JSON), text);
      await expectOneLine(loadModel(folder), /model\.json is not a JSON object/);
    }
  });

  it('random corruption of model.json or the weights gives a one-line ConvkitError (or, where harmless, a load), never anything else', async () => {
    const { folder } = await savedModel();
    const jsonText = await readFile(join(folder, MODEL_JSON), 'utf8');
    const weightsName = (await readdir(folder)).find((f) => f.endsWith('.bin'))!;
    const weights = await readFile(join(folder, weightsName));
    let seed = 99;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let refused = 0;
    for (let trial = 0; trial < 150; trial++) {
      const chars = jsonText.split('');
      const bytes = Uint8Array.from(weights);
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
        if (random() < 0.7) chars[Math.floor(random() * chars.length)] = String.fromCharCode(32 + Math.floor(random() * 95));
        else bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      await writeFile(join(folder, MODEL_JSON), chars.join(''));
      await writeFile(join(folder, weightsName), bytes);
      try {
        await loadModel(folder);
      } catch (error) {
        expect(isConvkitError(error), `trial ${trial}: ${String(error)}`).toBe(true);
        expect((error as Error).message).not.toContain('\n');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
    expect(dirname(folder)).toBeTruthy();
  });
});
