import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * A plain tfjs `IOHandler` over a saved model folder (`model.json` and the weight files its manifest
 * names), built from the tfjs format alone and no convkit loader: what a user's app would hand
 * `tf.loadLayersModel`. Tests load exported models through it to show they need nothing of convkit.
 * The weight files are concatenated in manifest order, as tfjs lays out the weight data.
 * @param folder - the folder holding `model.json`
 */
export function folderModelHandler(folder: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as {
        modelTopology: object;
        weightsManifest: tf.io.WeightsManifestConfig;
      };
      const files = json.weightsManifest.flatMap((group) => group.paths.map((path) => readFileSync(join(folder, path))));
      const weightData = new Uint8Array(files.reduce((total, file) => total + file.byteLength, 0));
      let offset = 0;
      for (const file of files) {
        weightData.set(file, offset);
        offset += file.byteLength;
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: weightData.buffer,
      };
    },
  };
}
