import { initBackend, Registry, summarizeModel } from '@convkit/core';
import { serialization } from '@tensorflow/tfjs-core';
import { input, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import * as convkitLayers from '../src/index.js';

const { plugin } = convkitLayers;
await initBackend('cpu');
const registered = () => Object.keys(serialization.SerializationMap.getMap().classNameMap).filter((name) => name.startsWith('convkit.'));

describe('plugin', () => {
  test('importing the package registers nothing; registry.use(plugin) registers every class under convkit.*', () => {
    expect(registered()).toEqual([]);
    const registry = new Registry().use(plugin);
    const classes = plugin.layers ?? [];
    expect(classes.every((cls) => /^convkit\.[A-Z]\w+$/.test(cls.className))).toBe(true);
    expect(registered().sort()).toEqual(classes.map((cls) => cls.className).sort());
    expect(registry.layers.list().map((entry) => entry.plugin)).toEqual(classes.map(() => '@convkit/layers'));
  });

  test('contributes every exported layer class', () => {
    const exported = (Object.values(convkitLayers) as unknown[])
      .map((value) => (typeof value === 'function' ? (value as { className?: unknown }).className : undefined))
      .filter((name): name is string => typeof name === 'string');
    expect(new Set((plugin.layers ?? []).map((cls) => cls.className))).toEqual(new Set(exported));
  });

  test('every layer is costed by summaries without estimates', () => {
    const L = convkitLayers;
    const x = input({ shape: [9, 9, 4] });
    const chain: { apply(x: SymbolicTensor): unknown }[] = [
      new L.Conv2d({ filters: 4, kernelSize: 3, padding: 1 }),
      new L.DepthwiseConv2d({ kernelSize: 3, padding: 1 }),
      new L.SeparableConv2d({ filters: 4, kernelSize: 3, padding: 1 }),
      new L.SpatiallySeparableConv2d({ filters: 4, kernelSize: 3, padding: 1 }),
      new L.ConvTranspose2d({ filters: 4, kernelSize: 3, padding: 1 }),
      new L.MaxPool2d({ kernelSize: 3, strides: 1, padding: 1 }),
      new L.AvgPool2d({ kernelSize: 3, strides: 1, padding: 1 }),
      new L.LocalResponseNorm(),
      new L.Activation({ activation: 'gelu' }),
      new L.PReLU(),
      new L.Dropout({ rate: 0.1 }),
      new L.SpatialDropout2d({ rate: 0.1 }),
      new L.DropPath({ rate: 0.1 }),
      new L.ChannelShuffle({ groups: 2 }),
      new L.ZeroPadShortcut({ filters: 6, strides: 1 }),
      new L.Conv2d({ filters: 4, kernelSize: 1 }),
      new L.AdaptiveMaxPool2d({ outputSize: 3 }),
      new L.AdaptiveAvgPool2d({ outputSize: 2 }),
      new L.GlobalAvgPool2d(),
    ];
    const y = chain.reduce((t, layer) => layer.apply(t) as SymbolicTensor, x);
    const summary = summarizeModel(model({ inputs: x, outputs: y }));
    expect(summary.layers.filter((row) => row.estimated).map((row) => row.className)).toEqual([]);
    expect(summary.layers.find((row) => row.className === 'convkit.Conv2d')?.macs).toBe(9 * 9 * 4 * 9 * 4);
  });
});

describe('oclif hook', () => {
  test('convkit:register returns the plugin', async () => {
    const { default: register } = await import('../src/oclif-hook.js');
    expect(await register()).toBe(plugin);
  });
});
