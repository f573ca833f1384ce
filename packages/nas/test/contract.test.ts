import { Registry } from '@convkit/core';
import { describeArchitectureContract } from '@convkit/core/testing';
import { plugin as layersPlugin } from '@convkit/layers';
import { plugin } from '../src/plugin.js';

const registry = new Registry().use(layersPlugin).use(plugin);

/** A small but complete DARTS_V2 network: C=4, 3 cells (one normal, two reductions) on 8x8 images. */
const TINY: Record<string, Record<string, unknown>> = {
  darts: { channels: 4, layers: 3, inputShape: [8, 8, 3] },
};

await describeArchitectureContract(registry, { tiny: TINY, plugin: '@convkit/nas' });
