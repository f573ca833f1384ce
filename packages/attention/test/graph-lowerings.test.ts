import { plugin as modern } from '@convkit/arch-modern';
import { createRng, initBackend, Registry, unloweredLayer, withSeededMathRandom } from '@convkit/core';
import { gradientBatch, graphAndEagerGradients, testBackends } from '@convkit/core/testing';
import { plugin as layersPlugin } from '@convkit/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';
import './support/setup.js';

const registry = new Registry().use(layersPlugin).use(modern).use(plugin);
const backends = (await testBackends()).filter((b) => b === 'tensorflow' || b === 'tensorflow-gpu');

describe.each(backends)('attention variants on the graph engine (%s)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  // se-mobilenet-v2's bound is looser: the betas of its linear bottlenecks feed a 1x1 convolution and a
  // batch norm that removes any shift, so their gradients are zero in exact arithmetic and both engines
  // return float32 residue (about 1e-6, against the 1e-3 floor of the relative measure).
  it.each([
    ['se-resnet20', { inputShape: [8, 8, 3] }, 4, 1e-4],
    ['se-mobilenet-v2', { inputShape: [32, 32, 3], widthMultiplier: 0.25, dropout: 0, numClasses: 10 }, 2, 1e-2],
  ] as const)("registered %s lowers, and one graph step gives tfjs's gradients for every weight", async (name, options, count, bound) => {
    const model = withSeededMathRandom(createRng(3), () => registry.create(name, options));
    try {
      expect(unloweredLayer(model)).toBeUndefined();
      const gradients = await graphAndEagerGradients(model, gradientBatch(options.inputShape, count, 10));
      for (const { weight, error } of gradients) expect(error, `gradient of ${weight}`).toBeLessThan(bound);
    } finally {
      model.dispose();
    }
  });
});
