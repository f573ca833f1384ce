import { initBackend } from '@convkit/core';
import { layerShape } from '@convkit/core/testing';
import type { BlockSite } from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildForCounting } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** A parameter-free sigmoid gate that records where it was asked for. */
function recordingSlot(seen: [number, string][]) {
  return (channels: number, name: string) => {
    seen.push([channels, name]);
    const gate = layers.activation({ name, activation: 'sigmoid' });
    return (x: SymbolicTensor) => layers.multiply({ name: `${name}.scale` }).apply([x, gate.apply(x) as SymbolicTensor]) as SymbolicTensor;
  };
}

const inbound = (model: ReturnType<typeof buildForCounting>, name: string) =>
  model.getLayer(name).inboundNodes[0]?.inboundLayers.map((l) => l.name);

describe('the attention slot of every residual family', () => {
  it.each([
    ['preact-resnet164', 54, 'stage1.block1', 'conv3'],
    ['wrn-28-10', 12, 'stage1.block1', 'conv2'],
  ] as const)(
    '%s calls it in each of its %i pre-activation blocks, after the last conv, before the add',
    (name, blocks, first, lastConv) => {
      const seen: [number, string][] = [];
      const model = buildForCounting(name, { widthMultiplier: 0.1, attention: recordingSlot(seen) });
      expect(seen).toHaveLength(blocks);
      expect(seen[0]?.[1]).toBe(`${first}.attn`);
      expect(inbound(model, `${first}.attn`)).toEqual([`${first}.${lastConv}`]);
      expect(inbound(model, `${first}.add`)).toContain(`${first}.attn.scale`);
      model.dispose();
    },
  );

  it("resnext50-32x4d calls it after each bottleneck's bn3 with the block's output channels", () => {
    const seen: [number, string][] = [];
    const model = buildForCounting('resnext50-32x4d', { inputShape: [64, 64, 3], attention: recordingSlot(seen) });
    expect(seen).toHaveLength(16);
    expect(seen[0]).toEqual([256, 'layer1.0.attn']);
    expect(seen[15]).toEqual([2048, 'layer4.2.attn']);
    expect(inbound(model, 'layer1.0.attn')).toEqual(['layer1.0.bn3']);
    expect(inbound(model, 'layer1.0.add')).toContain('layer1.0.attn.scale');
    model.dispose();
  });
});

describe('the after-block slot', () => {
  /** Records every site and inserts an identity-shaped sigmoid gate after the last block of stage 3. */
  function afterLastOfStage3(sites: BlockSite[]) {
    return (site: BlockSite) => {
      sites.push(site);
      if (site.stage !== 3 || site.block !== site.blocksInStage) return null;
      const gate = layers.activation({ name: `${site.prefix}.after`, activation: 'sigmoid' });
      return (x: SymbolicTensor) => gate.apply(x) as SymbolicTensor;
    };
  }

  it('resnet50 is asked after each of its 3/4/6/3 blocks with stage, block and channels, and inserts where told', () => {
    const sites: BlockSite[] = [];
    const model = buildForCounting('resnet50', { inputShape: [64, 64, 3], afterBlock: afterLastOfStage3(sites) });
    expect(sites.map((s) => `${s.stage}.${s.block}/${s.blocksInStage}`).join(' ')).toBe(
      '1.1/3 1.2/3 1.3/3 2.1/4 2.2/4 2.3/4 2.4/4 3.1/6 3.2/6 3.3/6 3.4/6 3.5/6 3.6/6 4.1/3 4.2/3 4.3/3',
    );
    expect(sites[8]).toEqual({ stage: 3, block: 2, blocksInStage: 6, channels: 1024, prefix: 'layer3.1' });
    expect(inbound(model, 'layer3.5.after')).toEqual(['layer3.5.act']);
    expect(inbound(model, 'layer4.0.conv1')).toEqual(['layer3.5.after']);
    model.dispose();
  });

  it.each([
    ['resnet20', 'stage3.block3', 64],
    ['preact-resnet164', 'stage3.block18', 256],
  ] as const)('%s takes it too (after %s, %i channels)', (name, last, channels) => {
    const sites: BlockSite[] = [];
    const model = buildForCounting(name, { afterBlock: afterLastOfStage3(sites) });
    expect(sites.at(-1)).toMatchObject({ prefix: last, channels });
    expect(layerShape(model, `${last}.after`).at(-1)).toBe(channels);
    model.dispose();
  });

  it('inserts nothing by default', () => {
    const model = buildForCounting('resnet20');
    expect(model.layers.some((l) => l.name.endsWith('.after'))).toBe(false);
    model.dispose();
  });
});
