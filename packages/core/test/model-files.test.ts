import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConvkitError, loadModel, MODEL_JSON, saveModel, sha256, writeFileAtomic } from '../src/index.js';

function smallModel(seed: number): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [6, 6, 2],
        filters: 3,
        kernelSize: 3,
        kernelInitializer: tfl.initializers.glorotNormal({ seed }),
        name: 'conv',
      }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 4, kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 1 }), name: 'head' }),
    ],
  });
}

/**
 * `smallModel(seed)` with every weight (biases too) redrawn from a seed its config does not record: a
 * loader that rebuilt the layers from the topology but dropped the weights file would otherwise
 * reproduce the seeded initial weights and still pass a round-trip comparison.
 */
function trainedModel(seed: number): tfl.LayersModel {
  const model = smallModel(seed);
  model.setWeights(model.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 1, 'float32', 1000 * seed + i)));
  return model;
}

async function savedFolder(seed = 1): Promise<{ folder: string; model: tfl.LayersModel }> {
  const folder = await mkdtemp(join(tmpdir(), 'convkit-io-'));
  const model = trainedModel(seed);
  await saveModel(model, folder);
  return { folder, model };
}

async function weightsFile(folder: string): Promise<string> {
  const name = (await readdir(folder)).find((f) => f.endsWith('.bin'));
  if (!name) throw new Error('no weights file');
  return join(folder, name);
}

describe('saveModel / loadModel', () => {
  it('round-trips a model to identical outputs', async () => {
    const { folder, model } = await savedFolder();
    const loaded = await loadModel(folder);
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 7);
    const before = await (model.predict(x) as tf.Tensor).data();
    const after = await (loaded.predict(x) as tf.Tensor).data();
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it('writes a model.json that plain tfjs understands, with one weights file', async () => {
    const { folder } = await savedFolder();
    const json = JSON.parse(await readFile(join(folder, MODEL_JSON), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toHaveLength(1);
    expect((await readdir(folder)).filter((f) => !f.startsWith('.'))).toHaveLength(2);
  });

  it('replaces the previous weights on a second save and removes the stale file', async () => {
    const { folder } = await savedFolder(1);
    const second = trainedModel(5);
    await saveModel(second, folder);
    expect((await readdir(folder)).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    const loaded = await loadModel(folder);
    const x = tf.randomNormal([1, 6, 6, 2], 0, 1, 'float32', 3);
    expect(Array.from(await (loaded.predict(x) as tf.Tensor).data())).toEqual(Array.from(await (second.predict(x) as tf.Tensor).data()));
  });

  it('names a truncated weights file', async () => {
    const { folder } = await savedFolder();
    await truncate(await weightsFile(folder), 10);
    await expect(loadModel(folder)).rejects.toThrowError(/corrupted or truncated \(weights are 10 bytes, expected \d+\)/);
  });

  it('names a weights file whose bytes changed', async () => {
    const { folder } = await savedFolder();
    const path = await weightsFile(folder);
    const bytes = await readFile(path);
    bytes[3] = (bytes[3] as number) ^ 0xff;
    await writeFile(path, bytes);
    await expect(loadModel(folder)).rejects.toThrowError(/weights checksum mismatch/);
  });

  it('names a model.json that is not JSON', async () => {
    const { folder } = await savedFolder();
    const text = await readFile(join(folder, MODEL_JSON), 'utf8');
    await writeFile(join(folder, MODEL_JSON), text.slice(0, text.length / 2));
    await expect(loadModel(folder)).rejects.toThrowError(ConvkitError);
    await expect(loadModel(folder)).rejects.toThrowError(/model.json is not valid JSON/);
  });

  it('names a layer class that is not registered and says to use its plugin', async () => {
    const { folder } = await savedFolder();
    const json = JSON.parse(await readFile(join(folder, MODEL_JSON), 'utf8'));
    json.modelTopology.config.layers[0].class_name = 'acme.Missing';
    json.convkit.topologySha256 = sha256(JSON.stringify(json.modelTopology));
    await writeFile(join(folder, MODEL_JSON), JSON.stringify(json));
    await expect(loadModel(folder)).rejects.toThrowError(ConvkitError);
    await expect(loadModel(folder)).rejects.toThrowError(
      /uses layer class "acme.Missing", which is not registered; registry.use\(\) the plugin/,
    );
  });

  it('says how to get a model when the folder has none', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'convkit-empty-'));
    await expect(loadModel(folder)).rejects.toThrowError(/no model in .* \(model.json not found\)/);
  });
});

describe('writeFileAtomic', () => {
  it('leaves no temporary file behind and replaces the content whole', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'convkit-atomic-'));
    const path = join(folder, 'state.json');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, 'second');
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(folder)).toEqual(['state.json']);
  });
});
