import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as archModern } from '@convkit/arch-modern';
import { plugin as attention, nonLocalBlock } from '@convkit/attention';
import { initBackend, Registry } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, type LayersModel, model } from '@tensorflow/tfjs-layers';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attentionOnImage, buildUntrained, inspect, type ModuleAttention } from '../src/index.js';
import { seededNormalValues } from '../src/seeded-normal.js';

const registry = new Registry().use(archModern).use(attention);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const image = (shape: [number, number, number], seed: number) =>
  tf.tensor4d(seededNormalValues(shape[0] * shape[1] * shape[2], seed), [1, ...shape]);
const setWeights = (m: LayersModel, layer: string, values: (shape: number[]) => tf.Tensor[]) => {
  const target = m.getLayer(layer);
  target.setWeights(values(target.getWeights().map((w) => w.shape)[0] as number[]));
};

beforeAll(async () => {
  await initBackend('cpu');
});

describe('attentionOnImage', () => {
  it("gives an SE module's forced excitation: fc2 zeroed with bias b makes the channel weights sigmoid(b), module by module", () => {
    const se = buildUntrained(registry, 'se-resnet20', { inputShape: [16, 16, 3] }, 1);
    // a different known bias per module and channel: b_c = (c - C/2) / 4 + module / 10
    const modules = se.layers.filter((l) => l.name.endsWith('.attn.fc2')).map((l) => l.name.replace(/\.fc2$/, ''));
    const bias = (c: number, channels: number, n: number) => (c - channels / 2) / 4 + n / 10;
    modules.forEach((module, n) => {
      setWeights(se, `${module}.fc2`, (kernel) => {
        const channels = kernel.at(-1) as number;
        return [tf.zeros(kernel), tf.tensor1d(Array.from({ length: channels }, (_, c) => bias(c, channels, n)))];
      });
    });
    const maps = attentionOnImage(se, image([16, 16, 3], 3));
    expect(maps.map((m) => [m.module, m.kind])).toEqual(modules.map((m) => [m, 'channel']));
    maps.forEach((m, n) => {
      const { weights } = m as Extract<ModuleAttention, { kind: 'channel' }>;
      const expected = weights.map((_, c) => sigmoid(bias(c, weights.length, n)));
      expect(Math.max(...weights.map((w, c) => Math.abs(w - (expected[c] as number))))).toBeLessThan(1e-6);
    });
    se.dispose();
  });

  it("gives CBAM's spatial gate over the image: a spatial conv reading only the channel max makes it sigmoid(max_c x)", () => {
    const cbam = buildUntrained(registry, 'cbam-resnet20', { inputShape: [16, 16, 3] }, 2);
    const module = 'stage1.block2.attn';
    // 7x7 conv over [max, mean]: 1 at the centre tap of the max plane; BN the identity in inference.
    setWeights(cbam, `${module}.spatial.conv`, (kernel) => [tf.tidy(() => tf.scatterND([[3, 3, 0, 0]], [1], kernel))]);
    const epsilon = (cbam.getLayer(`${module}.spatial.bn`).getConfig() as { epsilon: number }).epsilon;
    cbam.getLayer(`${module}.spatial.bn`).setWeights([tf.ones([1]), tf.zeros([1]), tf.zeros([1]), tf.fill([1], 1 - epsilon)]);
    const x = image([16, 16, 3], 4);
    const [spatial] = attentionOnImage(cbam, x, { module }).filter((m) => m.kind === 'spatial') as Extract<
      ModuleAttention,
      { kind: 'spatial' }
    >[];
    const gated = model({ inputs: cbam.inputs, outputs: cbam.getLayer(`${module}.channel.scale`).output as never });
    const expected = tf.tidy(() => tf.reshape(tf.sigmoid(tf.max(gated.predict(x) as tf.Tensor, -1)), [16, 16]).arraySync() as number[][]);
    expect(spatial?.size).toEqual([16, 16]);
    expect(Math.max(...(spatial?.map.flat() ?? []).map((v, p) => Math.abs(v - (expected.flat()[p] as number))))).toBeLessThan(1e-5);
    // stage 1 runs at the input's resolution, one map cell per pixel
    expect(Array.from(spatial?.imageMap ?? [])).toEqual((spatial?.map.flat() ?? []).map(Math.fround));
    cbam.dispose();
  });

  it("gives a non-local block's weights for the query pixel: each of two orthogonal bright pixels attends to itself", () => {
    const x = input({ shape: [6, 6, 4], name: 'input' });
    const block = model({ inputs: x, outputs: nonLocalBlock({ pairwise: 'gaussian', subsample: false })(4, 'b.nonlocal')(x) });
    // f(x_i, x_j) = exp(x_i . x_j): pixel (1, 4) bright in channel 0 and (3, 0) in channel 1
    const pixels = tf.tidy(() =>
      tf.scatterND(
        [
          [0, 1, 4, 0],
          [0, 3, 0, 1],
        ],
        [3, 3],
        [1, 6, 6, 4],
      ),
    ) as tf.Tensor4D;
    const at = (query: [number, number]) => attentionOnImage(block, pixels, { query })[0] as Extract<ModuleAttention, { kind: 'pairwise' }>;
    const a = at([1, 4]);
    const b = at([3, 0]);
    expect(a.query).toEqual({ pixel: [1, 4], cell: [1, 4] });
    expect(a.map[1]?.[4]).toBeCloseTo(Math.exp(9) / (Math.exp(9) + 35), 5);
    expect(b.map[3]?.[0]).toBeCloseTo(Math.exp(9) / (Math.exp(9) + 35), 5);
    expect(b.map[1]?.[4]).toBeCloseTo(1 / (Math.exp(9) + 35), 6);
    // a dark query sees every position alike
    expect(
      at([5, 5])
        .map.flat()
        .every((v) => Math.abs(v - 1 / 36) < 1e-6),
    ).toBe(true);
    expect(() => at([6, 0])).toThrowError(/query pixel 6,0 is outside the 6x6 image/);
  });

  it('refuses a model without attention modules and names the modules of one with them', () => {
    const plain = buildUntrained(registry, 'resnet20', { inputShape: [8, 8, 3] }, 0);
    expect(() => attentionOnImage(plain, image([8, 8, 3], 0))).toThrowError(/has no SE, CBAM or non-local module; .*--tag attention/);
    const se = buildUntrained(registry, 'se-resnet20', { inputShape: [8, 8, 3] }, 0);
    expect(() => attentionOnImage(se, image([8, 8, 3], 0), { module: 'stage9.block1.attn' })).toThrowError(
      /no attention module stage9.block1.attn in .*; its modules: stage1.block1.attn, stage1.block2.attn/,
    );
    tf.dispose([plain, se] as never);
  });
});

describe("inspect('attention')", () => {
  it('writes the channel strips and the spatial maps of an untrained CBAM-ResNet-20, one strip per module', async () => {
    const out = await mkdtemp(join(tmpdir(), 'convkit-inspect-attention-'));
    try {
      const result = await inspect('attention', {
        registry,
        arch: 'cbam-resnet20',
        archOptions: { inputShape: [16, 16, 3] },
        out,
        backend: 'cpu',
      });
      expect(result.files.map((f) => f.slice(out.length + 1))).toEqual(['channel-weights.png', 'spatial-maps.png']);
      const modules = (result.data as { modules: ModuleAttention[] }).modules;
      expect(modules.filter((m) => m.kind === 'channel')).toHaveLength(9);
      expect(modules.filter((m) => m.kind === 'spatial')).toHaveLength(9);
      expect(modules.some((m) => 'imageMap' in m)).toBe(false);
      const strips = PNG.sync.read(await readFile(join(out, 'channel-weights.png')));
      // nine strips of 512 / 64 = 8 pixels per channel at the widest (64 channels), 8 high, 2 apart
      expect([strips.width, strips.height]).toEqual([64 * 8 + 4, 9 * 8 + 10 * 2]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
