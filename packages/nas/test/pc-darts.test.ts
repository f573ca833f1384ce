import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CELL_EDGES,
  channelShuffle,
  collectLayers,
  deriveGenotype,
  mixedOp,
  PRIMITIVES,
  parseGenotype,
  runSearch,
  SearchNetwork,
} from '../src/index.js';
import './support/setup.js';
import { SMALL_SHAPES } from './support/small-shapes.js';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

const channelsOf = (x: tf.Tensor) => tf.tidy(() => Array.from(tf.reshape(tf.slice(x, [0, 0, 0, 0], [1, 1, 1, -1]), [-1]).dataSync()));

describe('channel shuffle', () => {
  it('interleaves 8 channels in 4 groups of 2 as 0 2 4 6 1 3 5 7', () => {
    const x = tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 8]);
    expect(channelsOf(channelShuffle(x, 4))).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
  });
});

/** A mixed op at 8 channels and its weights' count, after one call on `x`. */
function builtMixedOp(stride: 1 | 2, partialChannels: number) {
  const { built: op, layers } = collectLayers(() =>
    mixedOp('edge', { channels: 8, stride, affine: false, search: true }, { partialChannels }),
  );
  return { op, count: () => layers.reduce((n, l) => n + l.countParams(), 0) };
}

describe('the partial-channel mixed op (PC-DARTS)', () => {
  const x = tf.randomNormal([2, 6, 6, 8], 0, 1, 'float32', 7) as tf.Tensor4D;
  const weights = (w: number) => PRIMITIVES.map(() => tf.scalar(w));

  it('keeps the shape at stride 1 and halves the map at stride 2, with all 8 channels out', () => {
    expect(builtMixedOp(1, 4).op(x, weights(1 / 8), { training: true }).shape).toEqual([2, 6, 6, 8]);
    expect(builtMixedOp(2, 4).op(x, weights(1 / 8), { training: true }).shape).toEqual([2, 3, 3, 8]);
  });

  it('passes the unsampled 3/4 of the channels through unchanged (max-pooled at stride 2), then shuffles', () => {
    // with every op weighted zero only the bypass is left: the sampled quarter (channels 0-1) is zero
    const bypassed = (rest: tf.Tensor4D) =>
      channelShuffle(tf.concat([tf.zeros([rest.shape[0], rest.shape[1], rest.shape[2], 2]) as tf.Tensor4D, rest], -1), 4);
    const rest = tf.slice(x, [0, 0, 0, 2], [-1, -1, -1, 6]);
    const stride1 = builtMixedOp(1, 4).op(x, weights(0), { training: true });
    expect(tf.max(tf.abs(tf.sub(stride1, bypassed(rest)))).dataSync()[0]).toBe(0);
    const stride2 = builtMixedOp(2, 4).op(x, weights(0), { training: true });
    expect(tf.max(tf.abs(tf.sub(stride2, bypassed(tf.maxPool(rest, 2, 2, 'valid'))))).dataSync()[0]).toBe(0);
  });

  it('builds its ops at C/K channels: K=4 at 8 channels has the weights of a full mixed op at 2', () => {
    const partial = builtMixedOp(1, 4);
    partial.op(x, weights(1 / 8), { training: true });
    const { built: full, layers } = collectLayers(() => mixedOp('edge', { channels: 2, stride: 1, affine: false, search: true }));
    full(tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 2]), weights(1 / 8), { training: true });
    expect(partial.count()).toBe(layers.reduce((n, l) => n + l.countParams(), 0));
    expect(partial.count()).toBeGreaterThan(0);
  });
});

describe('edge normalization (PC-DARTS)', () => {
  // every edge's op weights uniform but for sep_conv_3x3 on node 1's edges 2, 3, 4 (alpha 2, 1.5, 1)
  const SEP = PRIMITIVES.indexOf('sep_conv_3x3');
  const alpha = (): number[][] =>
    Array.from({ length: CELL_EDGES }, (_, e) => PRIMITIVES.map((_, k) => (k === SEP ? ([2, 1.5, 1][e - 2] ?? 0) : 0)));
  const flat = Array.from({ length: CELL_EDGES }, () => 0);

  it("picks node 1's edges by op weight times the normalized beta (hand-worked), and uniform betas change nothing", () => {
    const plain = deriveGenotype({ normal: alpha(), reduce: alpha() });
    // sep_conv_3x3 weighs e^2/(e^2+7) = 0.514, 0.390, 0.280 on edges 2, 3, 4: states 0 and 1 win
    expect(plain.normal.slice(2, 4)).toEqual([
      ['sep_conv_3x3', 0],
      ['sep_conv_3x3', 1],
    ]);
    // betas (0, 0, 2) on node 1 normalize to 0.107, 0.107, 0.787: strengths 0.055, 0.042, 0.220
    const betas = flat.map((_, e) => (e === 4 ? 2 : 0));
    const normalized = deriveGenotype({ normal: alpha(), reduce: alpha(), betas: { normal: betas, reduce: flat } });
    expect(normalized.normal.slice(2, 4)).toEqual([
      ['sep_conv_3x3', 2],
      ['sep_conv_3x3', 0],
    ]);
    expect(normalized.reduce).toEqual(plain.reduce);
    expect(deriveGenotype({ normal: alpha(), reduce: alpha(), betas: { normal: flat, reduce: flat } })).toEqual(plain);
  });

  it('gives the search network a trainable beta per edge and cell type, in the architecture group, with gradients', () => {
    const config = { channels: 8, layers: 3, numClasses: 5, inputShape: [8, 8, 3] as [number, number, number] };
    const net = new SearchNetwork({ ...config, partialChannels: 4, edgeNormalization: true }, createRng(2));
    expect(net.architectureParameters.map((a) => a.shape)).toEqual([
      [CELL_EDGES, PRIMITIVES.length],
      [CELL_EDGES, PRIMITIVES.length],
      [CELL_EDGES],
      [CELL_EDGES],
    ]);
    const darts = new SearchNetwork(config, createRng(2));
    expect(net.alphaValues().normal).toEqual(darts.alphaValues().normal);
    expect(net.countWeights()).toBeLessThan(darts.countWeights() / 2);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3);
    expect(net.forward(x).shape).toEqual([2, 5]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(net.forward(x))) as tf.Scalar, net.architectureParameters);
    for (const beta of [net.betas?.normal, net.betas?.reduce]) {
      expect(tf.norm(grads[beta?.name as string] as tf.Tensor).dataSync()[0]).toBeGreaterThan(0);
    }
    expect(net.alphaValues().betas?.normal).toHaveLength(CELL_EDGES);
    net.dispose();
    darts.dispose();
  });

  it('refuses channels that do not split into K even parts', () => {
    expect(
      () => new SearchNetwork({ channels: 12, layers: 3, numClasses: 5, inputShape: [8, 8, 3], partialChannels: 4 }, createRng(0)),
    ).toThrowError(/with partial channels K=4 the channels must be a multiple of 2K=8 .* got 12, try --channels 16/);
  });
});

describe('runSearch with method pc-darts', () => {
  it('searches with betas, writes them beside the alphas, and refuses partial channels without pc-darts', async () => {
    const out = await mkdtemp(join(tmpdir(), 'convkit-pc-darts-'));
    folders.push(out);
    const tiny = { data: SMALL_SHAPES, out, channels: 8, layers: 3, epochs: 1, batchSize: 4, seed: 1, trainImages: 16 };
    const result = await runSearch({ ...tiny, method: 'pc-darts' });
    expect(result.alphas.betas?.reduce).toHaveLength(CELL_EDGES);
    const written = JSON.parse(await readFile(join(out, 'alphas.json'), 'utf8'));
    expect(written.alphas.betas).toEqual(result.alphas.betas);
    expect(parseGenotype(result.genotype)).toEqual(deriveGenotype(result.alphas));
    await expect(runSearch({ ...tiny, partialChannels: 2 })).rejects.toThrowError(/partial channels are PC-DARTS's; add --method pc-darts/);
    await expect(runSearch({ ...tiny, method: 'pc-darts', channels: 4 })).rejects.toThrowError(/multiple of 2K=8/);
  }, 300_000);
});
