import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, saveModel } from '@convkit/core';
import { folderModelHandler } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportModel, float16ToFloat32, float32ToFloat16 } from '../src/index.js';
import { registry } from './support/torchvision.js';

describe.each(['float16', 'uint8'] as const)('tfjs-%s', (storage) => {
  const source = mkdtempSync(join(tmpdir(), 'convkit-compact-'));
  const out = join(source, 'compact');
  let result: Awaited<ReturnType<typeof exportModel>>;
  let original: ReturnType<typeof registry.create>;

  beforeAll(async () => {
    await initBackend('auto');
    original = registry.create('vgg11-bn', { widthMultiplier: 1 / 16, numClasses: 10, inputShape: [32, 32, 3] });
    await saveModel(original, source);
    result = await exportModel({ model: source, format: `tfjs-${storage}`, out });
  });

  it(`stores the float32 weights in ${storage === 'float16' ? 'half' : 'a quarter of'} the bytes`, () => {
    const ratio = storage === 'float16' ? 2 : 4;
    expect(result.sourceBytes).toBe(4 * original.countParams());
    expect(result.exportedBytes * ratio).toBe(result.sourceBytes);
    const weightsFile = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
    expect(statSync(join(out, weightsFile)).size).toBe(result.exportedBytes);
  });

  it('loads with plain tfjs loadLayersModel, which decodes the stored weights', async () => {
    const compact = await loadLayersModel(folderModelHandler(out));
    const kernel = original.getLayer('features.conv1_1').getWeights()[0]!.dataSync();
    const decoded = compact.getLayer('features.conv1_1').getWeights()[0]!.dataSync();
    if (storage === 'float16') {
      expect(Array.from(decoded)).toEqual(Array.from(kernel, (v) => float16ToFloat32(float32ToFloat16(v))));
    } else {
      const step = (Math.max(...kernel) - Math.min(...kernel)) / 255;
      const worst = Math.max(...Array.from(kernel, (v, i) => Math.abs(v - decoded[i]!)));
      expect(worst).toBeLessThanOrEqual(step / 2 + 1e-7);
      expect(worst).toBeGreaterThan(0);
    }
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 3);
    const difference = tf.max(tf.abs(tf.sub(compact.predict(x) as tf.Tensor, original.predict(x) as tf.Tensor))).dataSync()[0]!;
    expect(difference).toBeGreaterThan(0);
  });

  it('reports how far the outputs moved', () => {
    expect(result.outputDifference).toBeGreaterThan(0);
    expect(result.outputDifference).toBeLessThan(storage === 'float16' ? 5e-3 : 0.1);
  });
});
