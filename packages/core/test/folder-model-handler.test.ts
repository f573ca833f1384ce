import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { folderModelHandler } from '../src/testing/index.js';

describe('folderModelHandler', () => {
  it('loads a model folder whose weights are split over two manifest groups, every weight in place', async () => {
    await tf.setBackend('cpu');
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [3], units: 2, biasInitializer: 'randomNormal', name: 'a' }),
        tfl.layers.dense({ units: 4, name: 'b' }),
      ],
    });
    const saved: tf.io.ModelArtifacts[] = [];
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved.push(artifacts);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const { modelTopology, weightSpecs = [], weightData } = saved[0] as tf.io.ModelArtifacts;
    const bytes = new Uint8Array(weightData as ArrayBuffer);
    // The first layer's kernel (3x2) and bias (2) in one file, the second layer's weights in another.
    const split = (3 * 2 + 2) * 4;
    const folder = await mkdtemp(join(tmpdir(), 'convkit-folder-handler-'));
    await writeFile(join(folder, 'first.bin'), bytes.subarray(0, split));
    await writeFile(join(folder, 'second.bin'), bytes.subarray(split));
    const weightsManifest = [
      { paths: ['first.bin'], weights: weightSpecs.slice(0, 2) },
      { paths: ['second.bin'], weights: weightSpecs.slice(2) },
    ];
    await writeFile(join(folder, 'model.json'), JSON.stringify({ modelTopology, weightsManifest }));

    const loaded = await tfl.loadLayersModel(folderModelHandler(folder));
    expect(loaded.weights.map((w) => w.shape)).toEqual(model.weights.map((w) => w.shape));
    for (const [i, weight] of loaded.getWeights().entries()) expect(weight.arraySync()).toEqual(model.getWeights()[i]?.arraySync());
    loaded.dispose();
    model.dispose();
  });
});
