import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { plugin as classic } from '@convkit/arch-classic';
import { initBackend, Registry } from '@convkit/core';
import { folderModelHandler } from '@convkit/core/testing';
import { exportModel } from '@convkit/interop';
import { plugin as layers } from '@convkit/layers';
import { generateShapes, train } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeIdxDataset } from './idx-fixture.js';

const weightBytes = (folder: string) =>
  statSync(join(folder, JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')).weightsManifest[0].paths[0])).size;

/** Top-1 of `model` on the 1,000 test images of the fixture dataset, normalized as the run recorded. */
function top1(model: LayersModel, folder: string): number {
  const { mean, std } = JSON.parse(readFileSync(join(folder, 'convkit-train.json'), 'utf8')).normalization;
  const { test } = generateShapes({ seed: 1, trainSize: 640, testSize: 1000 });
  return tf.tidy(() => {
    const pixels = tf.tensor4d(test.images, [test.size, ...test.shape], 'float32');
    const x = tf.div(tf.sub(tf.div(pixels, 255), mean[0]), std[0]);
    const hits = tf.sum(tf.equal(tf.argMax(model.predict(x) as tf.Tensor, -1), tf.tensor1d(Array.from(test.labels), 'int32')));
    return (hits.dataSync()[0] as number) / test.size;
  });
}

describe('a trained model stored with float16 weights', () => {
  const root = mkdtempSync(join(tmpdir(), 'convkit-compact-accuracy-'));
  const run = join(root, 'run');
  const half = join(root, 'float16');

  beforeAll(async () => {
    await initBackend('cpu');
    const registry = new Registry().use(layers).use(classic);
    await train({ arch: 'lenet5', data: writeIdxDataset('none', 640, 1000), epochs: 2, backend: 'cpu', out: run, registry });
    await exportModel({ model: join(run, 'model'), format: 'tfjs-float16', out: half });
  });

  it('takes half the weight bytes, loads with plain loadLayersModel, and scores within 0.1 point of float32 on the test set', async () => {
    expect(weightBytes(half) * 2).toBe(weightBytes(join(run, 'model')));
    const original = await loadLayersModel(folderModelHandler(join(run, 'model')));
    const compact = await loadLayersModel(folderModelHandler(half));
    const [full, stored] = [top1(original, join(run, 'model')), top1(compact, half)];
    expect(full).toBeGreaterThan(0.3); // trained: ten classes, so chance is 0.1
    expect(Math.abs(stored - full)).toBeLessThan(0.001);
    original.dispose();
    compact.dispose();
  });
});
